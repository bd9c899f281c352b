"""Spreadsheet imports: preview, all-or-nothing, caps, file checks, the
background path with its progress."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from partners.models import ContactPerson, Partner, Service
from programmes.models import Project
from smartcity.base.imports import ImportFileError, read_upload
from smartcity.base.models import ImportJob
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_PARTNERS = (
    "name;category;city;contact_first_name;contact_last_name;contact_email\n"
    "Université d'Essai;Higher education;Orvalle;Ada;Lovelace;ada@example.org\n"
    "Université d'Essai;;;Alan;Turing;alan@example.org\n"
    "Data SAS;company;Lyon;;;\n"
)
BAD_PARTNERS = "name;category;city\nBonne SA;company;Lyon\nMauvaise SA;n'existe pas;Lyon\n;company;Lyon\n"


def _upload(client, url_name, content: bytes, name="import.csv"):
    return client.post(reverse(url_name), {"file": SimpleUploadedFile(name, content)})


def test_partner_import_preview_then_confirm(lead_client):
    response = _upload(lead_client, "partners:partner_import", GOOD_PARTNERS.encode())
    job = ImportJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.status == ImportJob.Status.PREVIEW
    assert job.report["counts"] == {"create": 2, "update": 1, "unchanged": 0, "error": 0}
    assert not Partner.objects.exists(), "the preview writes nothing"
    page = lead_client.get(job.get_absolute_url()).content.decode()
    assert "Data SAS" in page
    response = lead_client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    partner = Partner.objects.get(name="Université d'Essai")
    assert partner.category == "higher_education"
    assert set(ContactPerson.objects.filter(partner=partner).values_list("last_name", flat=True)) == {
        "Lovelace",
        "Turing",
    }
    assert Partner.objects.count() == 2


def test_one_bad_row_rejects_the_whole_file(lead_client):
    _upload(lead_client, "partners:partner_import", BAD_PARTNERS.encode())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.REJECTED
    errors = {row["line"]: row["errors"] for row in job.report["rows"] if row["errors"]}
    assert set(errors) == {3, 4}
    assert "category" in errors[3][0]
    body = lead_client.get(job.get_absolute_url()).content.decode()
    assert 'id="import-errors"' in body and "job_confirm" not in body
    response = lead_client.post(reverse("imports:job_confirm", args=[job.pk]))
    assert response.status_code == 302
    assert not Partner.objects.exists()


def test_apply_is_all_or_nothing_when_a_row_fails_at_apply_time(lead_client):
    _upload(lead_client, "partners:partner_import", b"name;category\nPremier;company\nSecond;company\n")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW
    # The data moved between preview and confirmation: line 3 now fails.
    factories.PartnerFactory(name="Tiers")
    job.rows[1] = {"name": "Tiers", "category": "bogus"}
    job.save()
    lead_client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not Partner.objects.filter(name="Premier").exists()


def test_duplicate_rows_are_reported():
    from smartcity.base.imports import import_job_create

    user = factories.UserFactory()
    upload = SimpleUploadedFile("s.csv", b"acronym;name\nAAA;Service A\naaa;Service A bis\n")
    job = import_job_create(kind="services", upload=upload, user=user)
    assert job.status == ImportJob.Status.REJECTED
    assert job.report["rows"][1]["errors"]


def test_service_import_updates_existing_by_acronym(lead_client):
    direction = factories.ServiceFactory(acronym="DIR", kind="direction")
    existing = factories.ServiceFactory(acronym="VOI", name="Voirie")
    content = "acronym,name,parent,acculturation\nvoi,Voirie et espaces publics,DIR,3\nNEW,Nouveau service,DIR,Aware\n"
    _upload(lead_client, "partners:service_import", content.encode())
    job = ImportJob.objects.get()
    assert job.report["counts"] == {"create": 1, "update": 1, "unchanged": 0, "error": 0}
    lead_client.post(reverse("imports:job_confirm", args=[job.pk]))
    existing.refresh_from_db()
    assert existing.name == "Voirie et espaces publics" and existing.parent == direction
    assert Service.objects.get(acronym="NEW").acculturation == 2


def test_project_import_from_xlsx(lead_client):
    lead = factories.ServiceFactory(acronym="TC")
    helper = factories.ServiceFactory(acronym="DATA")
    domain = factories.DomainFactory(slug="mobilite", name="Mobilité")
    factories.ProgrammeFactory(name="Mobilités 2030")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["code", "name", "programme", "lead_service", "contributing_services", "domains", "phase", "health", "progress"]
    )
    sheet.append(
        ["TC-01", "Bus à haut niveau de service", "Mobilités 2030", "TC", "DATA", "mobilite", "Pilot", "on_track", 30]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    _upload(lead_client, "programmes:project_import", buffer.getvalue(), name="projets.xlsx")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW, job.report
    lead_client.post(reverse("imports:job_confirm", args=[job.pk]))
    project = Project.objects.get(code="TC-01")
    assert project.lead_service == lead and list(project.contributing_services.all()) == [helper]
    assert list(project.domains.all()) == [domain] and project.phase == "pilot"
    # Health and progress come from a status report, filed in the importing lead's name.
    report = project.status_reports.get()
    assert (report.health, report.progress, report.author) == ("on_track", 30, job.created_by)
    assert (project.health, project.progress) == ("on_track", 30)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.txt", b"a;b\n", "Type de fichier non pris en charge. Acceptés : csv, xlsx."),
        ("data.xlsx", b"name;category\nA;company\n", "ne correspond pas à son type (xlsx)"),
        ("data.csv", b"PK\x03\x04rest", "ne correspond pas à son type (csv)"),
        ("data.csv", b"", "est vide"),
        ("data.csv", b"name;category\n", "aucune ligne"),
    ],
)
def test_file_checks(name, content, message):
    with pytest.raises(ImportFileError) as exc:
        read_upload(SimpleUploadedFile(name, content))
    assert message in str(exc.value)


def test_size_and_row_caps(settings, lead_client):
    settings.ORCHESTRE_IMPORT_MAX_ROWS = 3
    content = "name;category\n" + "".join(f"P{i};company\n" for i in range(4))
    response = _upload(lead_client, "partners:partner_import", content.encode())
    assert response.status_code == 200
    assert "dépasse 3 lignes" in str(response.context["form"].errors)
    # The documented upload limit (README, ORCHESTRE_UPLOAD_MAX_BYTES) applies.
    settings.ORCHESTRE_UPLOAD_MAX_BYTES = 10
    response = _upload(lead_client, "partners:partner_import", content.encode())
    assert "trop volumineux" in str(response.context["form"].errors)
    assert not ImportJob.objects.exists()


def test_missing_required_column(lead_client):
    response = _upload(lead_client, "partners:partner_import", b"titre;ville\nA;Lyon\n")
    assert "Colonne manquante : " in str(response.context["form"].errors)


def test_large_import_runs_as_a_task_with_progress(settings, lead_client, django_capture_on_commit_callbacks):
    settings.ORCHESTRE_IMPORT_SYNC_ROWS = 2
    content = "name;category\n" + "".join(f"Partenaire {i};company\n" for i in range(30))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _upload(lead_client, "partners:partner_import", content.encode())
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.VALIDATING
    page = lead_client.get(job.get_absolute_url()).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page
    polled = lead_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert "hx-trigger" in polled.content.decode() and "HX-Refresh" not in polled
    for callback in callbacks:  # the broker (eager in tests) runs the task
        callback()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW and job.progress == 30
    assert lead_client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    with django_capture_on_commit_callbacks(execute=True):
        lead_client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Partner.objects.count() == 30


def test_templates_list_the_columns(lead_client):
    response = lead_client.get(reverse("imports:template", args=["projects"]))
    header = response.content.decode("utf-8-sig").strip()
    # Headers in the interface language, as the export writes them.
    assert header.startswith("Code;Projet;Programme;Service pilote")
    assert lead_client.get(reverse("imports:template", args=["nope"])).status_code == 404


def test_reading_a_semicolon_file_leaves_the_csv_module_alone():
    """A file the sniffer cannot read is taken as Excel's CSV with the
    delimiter it uses most; csv.excel itself, shared by the whole process,
    keeps its comma."""
    from smartcity.base.imports import _read_csv

    # Rows of unequal length: csv.Sniffer gives up on this sample.
    with pytest.raises(csv.Error):
        csv.Sniffer().sniff("name;category\nsolo\n", delimiters=",;\t")
    rows = _read_csv(b"name;category\nsolo\n")
    assert rows == [["name", "category"], ["solo"]]
    assert csv.excel.delimiter == ","
