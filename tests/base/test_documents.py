"""Documents attached to projects, programmes, meetings and objectives: upload limits
(size, type sniffed from the content), who may add, download and delete,
the download's headers, the file's life in storage, and the query count of
the pages that list documents."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes import rules
from smartcity.base import documents
from smartcity.base.models import Document
from smartcity.base.services import document_add
from smartcity.site.demo.documents import tiny_pdf, tiny_png
from tests import factories

pytestmark = pytest.mark.django_db

PDF = tiny_pdf("Étude", ["Une ligne."])


def stored_files() -> set[str]:
    try:
        return set(documents.storage().listdir("documents")[1])
    except FileNotFoundError:
        return set()


def ooxml(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def add_url(kind: str, obj) -> str:
    return reverse("documents:add", args=[kind, obj.pk])


def upload(client, url, name, content, **fields):
    data = {"title": "Convention signée", "kind": "agreement", "date": "2026-03-02", **fields}
    return client.post(url, {**data, "file": SimpleUploadedFile(name, content)})


@pytest.fixture
def own_project(director_service):
    return factories.ProjectFactory(lead_service=director_service)


@pytest.fixture
def other_project(other_service):
    return factories.ProjectFactory(lead_service=other_service)


def make_objective():
    from programmes.models import Objective, SmartCityPlan

    plan = SmartCityPlan.objects.create(title="Plan", period_start="2024-01-01", period_end="2030-12-31")
    return Objective.objects.create(plan=plan, code="O1", title="Moins de voitures")


def make_document(owner, *, by=None, title="Note", content=b"du texte\n") -> Document:
    return document_add(
        owner=owner, file=SimpleUploadedFile("note.txt", content), data={"title": title, "kind": "other"}, by=by
    )


# --- Uploads ---------------------------------------------------------------------


def test_lead_uploads_a_pdf_to_a_project(lead, lead_client, own_project):
    before = stored_files()
    response = upload(lead_client, add_url("projet", own_project), "convention.pdf", PDF)
    assert response.status_code == 302
    assert response["Location"].endswith(own_project.get_absolute_url() + "#documents")
    document = Document.objects.get()
    assert (document.owner, document.title, document.kind) == (own_project, "Convention signée", "agreement")
    assert (document.file_type, document.mime_type, document.size) == ("pdf", "application/pdf", len(PDF))
    assert document.added_by == lead and str(document.date) == "2026-03-02"
    assert document.original_name == "convention.pdf"
    # Stored under a random name that keeps nothing of the uploaded one.
    assert stored_files() - before == {document.storage_name.split("/", 1)[1]}
    assert "convention" not in document.storage_name and len(document.storage_name) > 40
    page = lead_client.get(own_project.get_absolute_url())
    assert document.get_download_url() in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "max_bytes", "message"),
    [
        ("etude.pdf", PDF, 100, "Le fichier est trop volumineux"),
        ("etude.pdf", b"MZ\x90\x00\x03 a program renamed", None, "ne correspond pas à son type (pdf)"),
        ("photo.png", PDF, None, "ne correspond pas à son type (png)"),
        ("note.txt", b"text\x00with a NUL byte", None, "ne correspond pas à son type (txt)"),
        ("rapport.docx", ooxml("xl/"), None, "ne correspond pas à son type (docx)"),
        ("vide.pdf", b"", None, "est vide"),
        ("outil.exe", b"MZ\x90\x00", None, "Type de fichier non pris en charge"),
        ("page.html", b"<html><script>alert(1)</script>", None, "Type de fichier non pris en charge"),
    ],
)
def test_refused_uploads_store_nothing(lead_client, own_project, settings, name, content, max_bytes, message):
    if max_bytes:
        settings.ORCHESTRE_DOCUMENT_MAX_BYTES = max_bytes
    before = stored_files()
    response = upload(lead_client, add_url("projet", own_project), name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files() == before


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("rapport.docx", ooxml("word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("note.odt", odf("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
        ("photo.png", tiny_png(8, 8), "image/png"),
        ("comptage.csv", b"semaine;voyageurs\n1;1200\n", "text/csv"),
    ],
)
def test_office_documents_images_and_text_are_accepted(lead_client, own_project, name, content, mime):
    response = upload(lead_client, add_url("projet", own_project), name, content, title="")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.mime_type == mime
    assert document.title == name.rsplit(".", 1)[0]  # an empty title takes the file's name


def test_a_bad_field_refuses_the_whole_upload(lead_client, own_project):
    before = stored_files()
    response = upload(lead_client, add_url("projet", own_project), "etude.pdf", PDF, kind="secret")
    assert response.status_code == 400
    assert not Document.objects.exists() and stored_files() == before


# --- Who may add -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target", "allowed"),
    [
        ("lead", "other_project", True),
        ("director", "own_project", True),
        ("director", "other_project", False),
        ("director", "programme", False),
        ("director", "meeting", False),
        ("director", "objective", False),
        ("lead", "programme", True),
        ("lead", "meeting", True),
        ("lead", "objective", True),
        ("official", "own_project", False),
        ("viewer", "own_project", False),
    ],
)
def test_who_may_add_a_document(request, persona, target, allowed):
    client = request.getfixturevalue(f"{persona}_client")
    kind, obj = {
        "own_project": ("projet", lambda: request.getfixturevalue("own_project")),
        "other_project": ("projet", lambda: request.getfixturevalue("other_project")),
        "programme": ("programme", factories.ProgrammeFactory),
        "meeting": ("seance", factories.MeetingFactory),
        "objective": ("objectif", make_objective),
    }[target]
    obj = obj()
    url = add_url(kind, obj)
    before = stored_files()
    assert client.get(url).status_code == (200 if allowed else 403)
    response = upload(client, url, "etude.pdf", PDF)
    assert response.status_code == (302 if allowed else 403)
    assert Document.objects.filter(object_id=obj.pk).exists() is allowed
    if not allowed:
        assert stored_files() == before


def test_the_page_offers_the_upload_to_those_who_may(lead_client, director_client, viewer_client, own_project):
    url = add_url("projet", own_project)
    assert url in lead_client.get(own_project.get_absolute_url()).content.decode()
    assert url in director_client.get(own_project.get_absolute_url()).content.decode()
    assert url not in viewer_client.get(own_project.get_absolute_url()).content.decode()


def test_can_add_document_rule(lead, director, director_service, own_project, other_project, official):
    assert rules.can_add_document(lead, other_project)
    assert rules.can_add_document(director, own_project)
    assert not rules.can_add_document(director, other_project)
    assert not rules.can_add_document(official, own_project)
    own_project.is_archived = True
    assert not rules.can_add_document(director, own_project)
    assert rules.can_add_document(lead, own_project)
    own_project.is_archived = False
    director_service.is_archived = True
    assert not rules.can_add_document(director, own_project)


def test_unknown_kind_or_record_is_404(lead_client):
    assert lead_client.get(reverse("documents:add", args=["partenaire", 1])).status_code == 404
    assert lead_client.get(reverse("documents:add", args=["projet", 999999])).status_code == 404


# --- Downloads -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead", "director", "official", "viewer"])
def test_everybody_who_reads_the_project_downloads(request, persona, other_project, lead):
    document = document_add(
        owner=other_project,
        file=SimpleUploadedFile("x.pdf", PDF),
        data={"title": "../../etc/passwd <b>Étude</b> “finale”.exe", "kind": "study"},
        by=lead,
    )
    response = request.getfixturevalue(f"{persona}_client").get(document.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # A safe name from the title, the extension of the type found in the content.
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''etcpasswd_b%C3%89tudeb_finale.pdf"


def test_anonymous_is_sent_to_sign_in_and_media_is_not_served(client, lead_client, other_project, lead):
    document = make_document(other_project, by=lead)
    response = client.get(document.get_download_url())
    assert response.status_code == 302 and "/compte/login/" in response["Location"]
    # The storage's own URL leads nowhere, signed in or not.
    assert lead_client.get("/media/" + document.storage_name).status_code == 404
    assert client.get("/media/" + document.storage_name).status_code in (302, 404)


def test_a_missing_file_or_record_is_404(lead_client, other_project, lead):
    document = make_document(other_project, by=lead)
    documents.storage().delete(document.storage_name)
    assert lead_client.get(document.get_download_url()).status_code == 404
    assert lead_client.get(reverse("documents:download", args=[999999])).status_code == 404


# --- Deletion ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["director", "official", "viewer"])
def test_only_the_lead_archives_or_deletes(request, persona, own_project, lead):
    document = make_document(own_project, by=lead)
    client = request.getfixturevalue(f"{persona}_client")
    url = reverse("documents:delete", args=[document.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert client.post(reverse("documents:archive", args=[document.pk])).status_code == 403
    document.refresh_from_db()
    assert not document.is_archived
    assert documents.storage().exists(document.storage_name)


def test_an_archived_document_leaves_the_list_and_stays_readable(lead_client, viewer_client, own_project, lead):
    kept = make_document(own_project, by=lead, title="Convention en vigueur")
    old = make_document(own_project, by=lead, title="Étude dépassée")
    response = lead_client.post(reverse("documents:archive", args=[old.pk]))
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.is_archived
    context = documents.section_context(lead, own_project)
    assert (context["documents"], context["archived_documents"]) == ([kept], [old])
    page = viewer_client.get(own_project.get_absolute_url()).content.decode()
    assert "1 document archivé" in page
    assert viewer_client.get(old.get_download_url()).status_code == 200


def test_deleting_a_document_deletes_its_file_on_commit(
    lead_client, own_project, lead, django_capture_on_commit_callbacks
):
    document = make_document(own_project, by=lead)
    url = reverse("documents:delete", args=[document.pk])
    assert document.title in lead_client.get(url).content.decode()
    with django_capture_on_commit_callbacks() as callbacks:
        response = lead_client.post(url)
        assert response.status_code == 302
        assert not Document.objects.filter(pk=document.pk).exists()
        assert documents.storage().exists(document.storage_name)  # not before the commit
    assert callbacks
    for callback in callbacks:
        callback()
    assert not documents.storage().exists(document.storage_name)


def test_a_deleted_record_takes_its_documents_and_files(lead, own_project, django_capture_on_commit_callbacks):
    meeting = factories.MeetingFactory()
    gone, kept = make_document(meeting, by=lead), make_document(own_project, by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        meeting.delete()
    assert list(Document.objects.all()) == [kept]
    assert not documents.storage().exists(gone.storage_name) and documents.storage().exists(kept.storage_name)
    # A queryset's delete too (the admin's bulk action, the flush command).
    with django_capture_on_commit_callbacks(execute=True):
        type(own_project).objects.filter(pk=own_project.pk).delete()
    assert not Document.objects.exists() and not documents.storage().exists(kept.storage_name)


# --- Query counts ------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(owner, n, users):
    for i in range(n):
        Document.objects.create(
            owner=owner,
            title=f"Doc {i}",
            storage_name=documents.new_storage_name("pdf"),
            original_name="d.pdf",
            size=10,
            file_type="pdf",
            mime_type="application/pdf",
            added_by=users[i % len(users)],
        )


@pytest.mark.parametrize("kind", ["project", "programme", "meeting", "objective"])
def test_document_lists_cost_the_same_at_two_scales(lead_client, lead, director, own_project, kind):
    owner = {
        "project": lambda: own_project,
        "programme": lambda: own_project.programme,
        "meeting": factories.MeetingFactory,
        "objective": make_objective,
    }[kind]()
    url = owner.get_absolute_url()
    _grow(owner, 1, [lead])
    small = _count(lead_client, url)
    _grow(owner, 12, [lead, director, factories.UserFactory(), factories.UserFactory()])
    large = _count(lead_client, url)
    assert large == small
    assert lead_client.get(url).content.decode().count("/telecharger/") == 13


def test_newest_first_and_undated_last(own_project, lead):
    import datetime

    undated = make_document(own_project, by=lead, title="Sans date")
    old = make_document(own_project, by=lead, title="Ancien")
    recent = make_document(own_project, by=lead, title="Récent")
    Document.objects.filter(pk=old.pk).update(date=datetime.date(2024, 1, 1))
    Document.objects.filter(pk=recent.pk).update(date=datetime.date(2025, 6, 1))
    assert list(documents.documents_of(own_project)) == [recent, old, undated]
