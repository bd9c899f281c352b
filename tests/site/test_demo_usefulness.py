"""Issue 14's demo data: awareness actions aimed mostly at education and
culture (some planned), usefulness sheets, indicators measured over two
years or more; flush_portfolio takes them away."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min

from partners.models import AwarenessAction
from programmes.models import Indicator, UsefulnessSheet

LAGGING = {"DEDU", "VSCO", "REST", "BATS", "PENF", "DCUL", "BIBL", "MUSE", "SPEC", "ARCH"}


@pytest.mark.django_db
def test_demo_usefulness_and_its_flush():
    call_command("seed_demo", "--today", "2026-03-16", "--quiet-accounts", stdout=StringIO())
    actions = list(AwarenessAction.objects.prefetch_related("services"))
    assert len(actions) >= 10
    reached = [s.acronym for a in actions for s in a.services.all()]
    assert sum(r in LAGGING for r in reached) > len(reached) * 0.7
    assert any(str(a.held_on) > "2026-03-16" for a in actions)  # planned ones
    assert UsefulnessSheet.objects.count() >= 3
    spans = Indicator.objects.annotate(
        n=Count("values"), first=Min("values__measured_on"), last=Max("values__measured_on")
    )
    assert spans.count() >= 6
    assert all(i.n >= 2 for i in spans)
    assert max((i.last - i.baseline_on).days for i in spans) >= 730
    assert Indicator.objects.filter(code__isnull=False).exists()

    call_command("flush_portfolio", "--yes", stdout=StringIO())
    assert not AwarenessAction.objects.exists() and not Indicator.objects.exists()
    assert not UsefulnessSheet.objects.exists()
