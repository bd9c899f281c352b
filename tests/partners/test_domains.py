"""The lead's domains (issue 13): a new one goes last with a slug of its
own; the order moves one place at a time; an archived one comes back."""

import pytest

from partners import services
from partners.models import Domain
from smartcity.base.concurrency import StaleEditError

pytestmark = pytest.mark.django_db


def test_domains_are_added_last_moved_one_place_and_edited_with_their_token():
    first = services.domain_create(data={"name": "Santé", "color": "#aa0000", "icon": "heart"})
    twin = services.domain_create(data={"name": "Santé !", "color": "#aa0000"})  # another name, same slug base
    assert first.slug == "sante" and twin.slug == "sante-2"
    assert list(Domain.objects.order_by("position", "pk"))[-2:] == [first, twin]

    services.domain_move(domain=twin, up=True)
    assert list(Domain.objects.order_by("position", "pk").values_list("pk", flat=True))[-2:] == [twin.pk, first.pk]
    assert sorted(Domain.objects.values_list("position", flat=True)) == list(range(Domain.objects.count()))

    services.domain_update(domain=first, token=str(first.version), data={"name": "Santé publique"})
    with pytest.raises(StaleEditError):
        services.domain_update(domain=first, token=str(first.version), data={"name": "Autre"})
    first.refresh_from_db()
    assert (first.name, first.slug, first.version) == ("Santé publique", "sante", 2)

    services.domain_set_archived(domain=first, archived=True)
    assert Domain.objects.get(pk=first.pk).is_archived
    services.domain_set_archived(domain=first, archived=False)
    assert not Domain.objects.get(pk=first.pk).is_archived
