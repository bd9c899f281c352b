"""The demo city reads true: partners of the right trade, projects
registered before they report (a few lately), addresses any server takes."""

import pytest
from django.db.models import Min

from governance.models import Meeting
from partners.models import ElectedOfficial
from programmes.models import Project, ProjectPartner
from smartcity.site.demo.builder import DemoBuilder
from smartcity.site.demo.partner_fit import _trade

pytestmark = pytest.mark.django_db


def test_demo_partners_dates_and_addresses_make_sense():
    DemoBuilder(scale=1).build()

    links = ProjectPartner.objects.select_related("partner").prefetch_related("project__domains")
    misfits = [
        (link.project.name, link.partner.name)
        for link in links
        if (trade := _trade(link.partner.name)) and not trade & {d.slug for d in link.project.domains.all()}
    ]
    assert misfits == []
    assert sum(1 for link in links if _trade(link.partner.name)) > 50  # specialists are used, not dropped

    first_reports = Project.objects.annotate(first=Min("status_reports__created_at")).filter(first__isnull=False)
    assert not [p.code for p in first_reports if p.created_at >= p.first]
    last_held = Meeting.objects.filter(status="held").order_by("-starts_at").first()
    assert 1 <= Project.objects.filter(created_at__gte=last_held.starts_at).count() <= 15

    assert all(email.isascii() for email in ElectedOfficial.objects.values_list("email", flat=True))
