"""The meeting pack of a demo-like committee as a real PDF: at most eight
A4 pages, the decisions to take first."""

import io
import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from governance.models import Meeting
from smartcity.site.demo.builder import DemoBuilder, ensure_demo_accounts

pytestmark = pytest.mark.django_db

pypdf = pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")

MAX_PAGES = 8


def test_demo_pack_pdf_has_at_most_eight_pages_with_decisions_first(client):
    ensure_demo_accounts()
    DemoBuilder(scale=1).build()
    official_client = client
    official_client.force_login(User.objects.get(username="official"))
    meeting = Meeting.objects.filter(status=Meeting.Status.PLANNED).order_by("starts_at").first()
    response = official_client.get(reverse("governance:meeting_pack_pdf", args=[meeting.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert 2 <= len(pdf.pages) <= MAX_PAGES, len(pdf.pages)
    assert pdf.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4 portrait
    # Tagged for screen readers (WeasyPrint's pdf_tags): a structure tree.
    assert "/StructTreeRoot" in pdf.trailer["/Root"]

    text = " ".join(page.extract_text() for page in pdf.pages)
    text = re.sub(r"\s+", " ", text)
    order = [text.find(title) for title in ("À décider", "Le portefeuille en un coup d'œil", "État de chaque projet")]
    assert -1 not in order and order == sorted(order), order
    # The decisions section is on the first page, with the agenda's first item.
    first_page = re.sub(r"\s+", " ", pdf.pages[0].extract_text())
    first_item = meeting.agenda_items.order_by("position", "pk").first()
    assert "À décider" in first_page and first_item.title[:30] in first_page
