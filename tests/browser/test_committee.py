"""The committee cycle in a real browser: the lead prepares meeting 21 from
the helper's proposals, records the minutes and approves them; an official
reads the dashboard, the pack and the register on a phone; the action rides
on to meeting 22 until it is closed.

Selectors use addresses and field ids, not visible text, so that the tests
hold in French and in English.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import ActionItem, Decision, Meeting
from governance.services import meeting_create
from smartcity.base.roles import Role
from tests import factories
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def committee_world():
    now = timezone.now()
    factories.UserFactory(username="lead-b", role=Role.LEAD.value)
    official_user = factories.UserFactory(username="elue-b", role=Role.OFFICIAL.value)
    domain = factories.DomainFactory(slug="energie", name="Énergie")
    official = factories.ElectedOfficialFactory(user=official_user, first_name="Claire", last_name="Moreau")
    official.domains.set([domain])
    service = factories.ServiceFactory(name="Direction de l'énergie", acronym="ENER")
    committee = factories.CommitteeFactory(name="Comité de pilotage smart city")
    committee.members.add(official)
    committee.invited_services.add(service)
    for number in range(1, 21):
        meeting = meeting_create(
            committee=committee, data={"starts_at": now - datetime.timedelta(days=60 * (21 - number))}
        )
        Meeting.objects.filter(pk=meeting.pk).update(status="approved" if number < 20 else "held")
    # A project whose health went from on track to off track since meeting 20…
    changed = factories.ProjectFactory(
        name="Réseau de chaleur",
        lead_service=service,
        domains=[domain],
        sponsor=official,
        health="off_track",
        last_reported_at=now - datetime.timedelta(days=3),
    )
    factories.StatusReportFactory(project=changed, created_at=now - datetime.timedelta(days=90), health="on_track")
    factories.StatusReportFactory(project=changed, created_at=now - datetime.timedelta(days=3), health="off_track")
    # …and one whose reporting went quiet.
    stale = factories.ProjectFactory(
        name="Capteurs de qualité de l'air",
        lead_service=service,
        domains=[domain],
        last_reported_at=now - datetime.timedelta(days=80),
    )
    return {"committee": committee, "changed": changed, "stale": stale, "service": service, "official": official}


def _submit(page):
    page.locator("main form[method=post] button[type=submit]:not(.visually-hidden)").first.click()
    page.wait_for_load_state()


def test_committee_cycle(page, browser, live_server, committee_world):
    committee = committee_world["committee"]
    changed, stale = committee_world["changed"], committee_world["stale"]

    # The lead creates meeting 21: the number is given, not typed.
    login(page, live_server, "lead-b")
    page.goto(live_server.url + reverse("governance:committee_detail", args=[committee.pk]))
    page.click(f"a[href='{reverse('governance:meeting_create', args=[committee.pk])}']")
    starts = (timezone.localtime() + datetime.timedelta(days=7)).strftime("%Y-%m-%dT14:00")
    page.fill("#id_starts_at", starts)
    page.fill("#id_place", "Hôtel de Métropole, salle du Conseil")
    _submit(page)
    meeting21 = Meeting.objects.get(committee=committee, number=21)
    assert page.url.endswith(meeting21.get_absolute_url())
    assert re.search(r"\b21\b", page.locator("h1").inner_text())

    # The helper proposes the changed and the stale project; one click each.
    proposer = reverse("governance:agenda_proposal_add", args=[meeting21.pk])
    page.locator(f"form[action='{proposer}']:has(input[name=project][value='{changed.pk}']) button").first.click()
    page.wait_for_load_state()
    page.locator(f"form[action='{proposer}']:has(input[name=project][value='{stale.pk}']) button").first.click()
    page.wait_for_load_state()
    titles = page.locator("#agenda .agenda-item .fw-semibold").all_inner_texts()
    assert [changed.name in titles[0], stale.name in titles[1]] == [True, True]

    # Reorder without a page load (htmx swaps the agenda fragment).
    page.evaluate("window.__stillHere = true")
    first = meeting21.agenda_items.order_by("position").first()
    page.locator(f"#agenda-item-{first.pk} form:has(input[value=down]) button").click()
    page.wait_for_function(f"document.querySelector('#agenda .agenda-item:last-child').id === 'agenda-item-{first.pk}'")
    assert page.evaluate("window.__stillHere") is True
    assert list(meeting21.agenda_items.order_by("position").values_list("pk", flat=True))[-1] == first.pk

    # Attendance: the official present, the invited service excused.
    page.goto(live_server.url + reverse("governance:attendance_edit", args=[meeting21.pk]))
    page.select_option(f"#id_official_{committee_world['official'].pk}", "present")
    page.select_option(f"#id_service_{committee_world['service'].pk}", "excused")
    _submit(page)
    assert meeting21.attendances.count() == 2

    # Two decisions, each on an agenda item; one action on the first.
    items = [meeting21.agenda_items.get(projects=changed), meeting21.agenda_items.get(projects=stale)]
    texts = ["Le comité engage un audit du réseau de chaleur.", "Le comité relance le reporting des capteurs."]
    for item, text in zip(items, texts, strict=True):
        page.goto(live_server.url + reverse("governance:decision_add", args=[meeting21.pk]))
        page.fill("#id_text", text)
        page.select_option("#id_agenda_item", str(item.pk))
        _submit(page)
    assert set(meeting21.decisions.values_list("text", flat=True)) == set(texts)
    decision = meeting21.decisions.get(text=texts[0])
    page.goto(live_server.url + reverse("governance:action_add", args=[meeting21.pk]))
    page.fill("#id_title", "Chiffrer l'audit du réseau de chaleur")
    # The owner service is a type-ahead picker (static/js/picker.js).
    page.fill("#id_owner_service-search", "énergie")
    page.locator("#id_owner_service ~ .picker-combo .picker-option", has_text="Direction de l'énergie").first.click()
    page.fill("#id_due_date", (timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    page.select_option("#id_decision", str(decision.pk))
    _submit(page)
    action = ActionItem.objects.get(meeting=meeting21)
    assert list(action.projects.all()) == [changed]

    # Held, then approved: the meeting is locked.
    page.locator(f"form[action='{reverse('governance:meeting_mark_held', args=[meeting21.pk])}'] button").click()
    page.wait_for_load_state()
    page.locator(f"form[action='{reverse('governance:meeting_approve', args=[meeting21.pk])}'] button").click()
    page.wait_for_load_state()
    meeting21.refresh_from_db()
    assert meeting21.is_locked and hasattr(meeting21, "snapshot")
    assert page.locator(f"a[href='{reverse('governance:decision_add', args=[meeting21.pk])}']").count() == 0
    # Even a hand-made POST is refused server-side.
    page.request.post(
        live_server.url + reverse("governance:decision_add", args=[meeting21.pk]),
        form={
            "text": "Ajout après coup",
            "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
        },
    )
    assert meeting21.decisions.count() == 2

    # Meeting 22 is planned: the open action is carried over to it.
    page.goto(live_server.url + reverse("governance:meeting_create", args=[committee.pk]))
    page.fill("#id_starts_at", (timezone.localtime() + datetime.timedelta(days=60)).strftime("%Y-%m-%dT14:00"))
    _submit(page)
    meeting22 = Meeting.objects.get(committee=committee, number=22)
    assert action.title in page.locator("#carried tbody td:first-child").all_inner_texts()

    # The official, on a phone: dashboard, pack, register.
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR")
    mobile = phone.new_page()
    login(mobile, live_server, "elue-b")
    assert mobile.locator("h1").count() == 1
    assert mobile.locator("svg[role=img] title").count() >= 2
    assert mobile.locator(f"table >> text={changed.code}").count() >= 1  # own delegation's projects
    no_horizontal_scroll = "document.documentElement.scrollWidth <= window.innerWidth + 1"
    assert mobile.evaluate(no_horizontal_scroll)
    mobile.click(f"a[href='{reverse('governance:meeting_pack', args=[meeting22.pk])}']")
    mobile.wait_for_load_state()
    # The pack decides first: the last meeting's follow-up is in its first section.
    assert mobile.locator("#pack-decisions").get_by_text(texts[0]).count() == 1  # decided last time
    assert mobile.locator("#pack-decisions").get_by_text(action.title).count() == 1  # and what followed
    assert mobile.evaluate(no_horizontal_scroll)
    mobile.goto(live_server.url + reverse("governance:meeting_pack", args=[meeting21.pk]))
    assert mobile.locator("#pack-summary").get_by_text(changed.name).count() >= 1  # health changed since 20
    mobile.goto(live_server.url + reverse("governance:decision_register"))
    mobile.fill("#id_q", "audit chaleur")
    mobile.locator("form[role=search] button[type=submit]").click()
    mobile.wait_for_load_state()
    assert mobile.locator(".register").get_by_text(texts[0]).count() == 1
    assert mobile.locator(".register").get_by_text(texts[1]).count() == 0
    # Nothing to edit for an official, anywhere on the meeting page.
    mobile.goto(live_server.url + meeting22.get_absolute_url())
    assert mobile.locator("main form[method=post]").count() == 0
    phone.close()

    # The lead closes the action in meeting 22; meeting 23 no longer shows it.
    page.goto(live_server.url + meeting22.get_absolute_url())
    page.locator(f"form[action='{reverse('governance:action_close', args=[meeting22.pk, action.pk])}'] button").click()
    page.wait_for_load_state()
    action.refresh_from_db()
    assert action.status == "done" and action.closed_in == meeting22
    page.goto(live_server.url + reverse("governance:meeting_create", args=[committee.pk]))
    page.fill("#id_starts_at", (timezone.localtime() + datetime.timedelta(days=120)).strftime("%Y-%m-%dT14:00"))
    _submit(page)
    assert Meeting.objects.filter(committee=committee, number=23).exists()
    assert action.title not in page.locator("#carried tbody td:first-child").all_inner_texts()
    assert Decision.objects.filter(meeting=meeting21).count() == 2
