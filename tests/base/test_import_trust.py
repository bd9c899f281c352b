"""Imports that never surprise (issue 11): updates keep what the file does
not give, nothing is created by accident, every error at once, export →
import round trips, bounded and exact reading."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from partners.models import Partner, Service
from programmes.models import Programme, Project
from smartcity.base.imports import ImportFileError, import_job_create, read_upload
from smartcity.base.models import ImportJob
from tests import factories

pytestmark = pytest.mark.django_db


def _import(user, kind, content: str | bytes, name="import.csv", **options):
    data = content.encode() if isinstance(content, str) else content
    return import_job_create(kind=kind, upload=SimpleUploadedFile(name, data), user=user, options=options)


def _confirm(client, job):
    client.post(reverse("imports:job_confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


# 1. Update keeps what it was not given ------------------------------------


def test_an_absent_column_leaves_the_field_alone_and_a_marker_clears_it(lead_client):
    parent = factories.ServiceFactory(acronym="DIR", kind="direction")
    service = factories.ServiceFactory(
        acronym="VOI", name="Voirie", email="voirie@example.org", description="Routes", parent=parent
    )
    job = _import(None, "services", "acronym;name;email\nVOI;Voirie et espaces publics;-\n")
    assert job.status == ImportJob.Status.PREVIEW, job.report
    assert job.report["counts"] == {"create": 0, "update": 1, "unchanged": 0, "error": 0}
    changes = job.report["rows"][0]["changes"]
    assert {c["column"]: (c["old"], c["new"]) for c in changes} == {
        "name": ("Voirie", "Voirie et espaces publics"),
        "email": ("voirie@example.org", ""),
    }
    page = lead_client.get(job.get_absolute_url()).content.decode()
    assert "Voirie et espaces publics" in page and "<del>voirie@example.org</del>" in page
    assert "laisser 0 inchangé" in page or "0 inchangé" in page
    _confirm(lead_client, job)
    service.refresh_from_db()
    # description and parent were not in the file: untouched; email cleared by "-".
    assert (service.name, service.email, service.description, service.parent) == (
        "Voirie et espaces publics",
        "",
        "Routes",
        parent,
    )


def test_an_update_that_changes_nothing_is_counted_unchanged():
    factories.ServiceFactory(acronym="VOI", name="Voirie")
    job = _import(None, "services", "acronym;name;description\nVOI;Voirie;\n")
    assert job.report["counts"] == {"create": 0, "update": 0, "unchanged": 1, "error": 0}


def test_a_project_update_without_dates_keeps_them(lead_client):
    project = factories.ProjectFactory(code="P-1", budget_planned=1000)
    project.start_date, project.end_date = __import__("datetime").date(2026, 1, 1), None
    project.save()
    project.domains.set([factories.DomainFactory(slug="eau", name="Eau")])
    job = _import(None, "projects", "code;name\nP-1;Nouveau nom\n")
    assert job.status == ImportJob.Status.PREVIEW, job.report
    _confirm(lead_client, job)
    project.refresh_from_db()
    assert project.name == "Nouveau nom" and project.budget_planned == 1000
    assert str(project.start_date) == "2026-01-01" and [d.slug for d in project.domains.all()] == ["eau"]


# 2. Nothing created by accident -------------------------------------------


def test_a_misspelled_programme_is_an_error_with_suggestions(lead_client):
    factories.ProgrammeFactory(name="Mobilités 2030")
    factories.ServiceFactory(acronym="TC")
    content = "code;name;programme;lead_service\nTC-01;Bus;Mobilite 2030;TCC\n"
    job = _import(None, "projects", content)
    assert job.status == ImportJob.Status.REJECTED
    errors = job.report["rows"][0]["errors"]
    assert any("Mobilités 2030" in e and e.startswith("lead_service") is False for e in errors), errors
    assert any(e.startswith("lead_service") and "TC" in e for e in errors), errors
    assert Programme.objects.count() == 1


def test_creating_a_programme_takes_the_explicit_option(lead_client):
    factories.ServiceFactory(acronym="TC")
    content = b"code;name;programme;lead_service\nTC-01;Bus;Nouveau programme;TC\n"
    form = lead_client.get(reverse("programmes:project_import")).content.decode()
    assert 'name="create_missing"' in form and "checked" not in form.split('name="create_missing"')[1][:40]
    lead_client.post(
        reverse("programmes:project_import"),
        {"file": SimpleUploadedFile("p.csv", content), "create_missing": "on"},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEW, job.report
    _confirm(lead_client, job)
    assert Project.objects.get(code="TC-01").programme.name == "Nouveau programme"


def test_unknown_domain_official_and_parent_suggest_names():
    factories.ProgrammeFactory(name="Énergie")
    factories.ServiceFactory(acronym="ENR")
    factories.DomainFactory(slug="energie", name="Énergie")
    factories.ElectedOfficialFactory(first_name="Claire", last_name="Martin")
    content = "code;name;programme;lead_service;domains;sponsor\nE-1;Solaire;Énergie;ENR;Energies;Claire Martn\n"
    job = _import(None, "projects", content)
    errors = job.report["rows"][0]["errors"]
    assert len(errors) == 2, errors
    assert "Énergie" in errors[0] and "Martin" in errors[1]
    job = _import(None, "services", "acronym;name;parent\nNEW;Nouveau;ENRR\n")
    assert "ENR" in job.report["rows"][0]["errors"][0]
    assert not Service.objects.filter(acronym="NEW").exists()


# 3. Every error at once ----------------------------------------------------


def test_every_error_of_a_row_in_french_with_the_file_columns(lead_client):
    factories.ProgrammeFactory(name="Eau")
    factories.ServiceFactory(acronym="EAU")
    content = (
        "Code;Projet;Programme;Service pilote;Phase;Date de début;Date de fin;Budget prévu (€)\n"
        "E-1;Réseau;Eau;EAU;phase inconnue;2026-13-01;pas une date;beaucoup\n"
    )
    job = _import(None, "projects", content)
    errors = job.report["rows"][0]["errors"]
    assert len(errors) == 4, errors
    assert errors[0].startswith("Phase :") or errors[0].startswith("Phase:"), errors
    assert any(e.startswith("Date de fin") for e in errors)
    assert any(e.startswith("Budget prévu (€)") for e in errors)
    assert "n’est pas une date" in " ".join(errors) or "n'est pas une date" in " ".join(errors), errors
    page = lead_client.get(job.get_absolute_url()).content.decode()
    assert '<th scope="col">Ligne</th><th scope="col">Ligne</th>' not in page


def test_a_constraint_reads_as_an_error_on_the_end_date():
    factories.ProgrammeFactory(name="Eau")
    factories.ServiceFactory(acronym="EAU")
    content = "code;name;programme;lead_service;start_date;end_date\nE-1;Réseau;Eau;EAU;2026-06-01;2026-01-01\n"
    job = _import(None, "projects", content)
    errors = job.report["rows"][0]["errors"]
    assert len(errors) == 1 and errors[0].startswith("end_date"), errors
    assert "project_dates_ordered" not in errors[0]


# 4. Round trip -------------------------------------------------------------


def _export_and_reimport(client, url_name, kind, fmt):
    response = client.get(reverse(url_name), {"format": fmt})
    upload = SimpleUploadedFile(f"export.{fmt}", response.content)
    client.post(
        reverse(
            {
                "services": "partners:service_import",
                "partners": "partners:partner_import",
                "projects": "programmes:project_import",
            }[kind]
        ),
        {"file": upload},
    )
    return ImportJob.objects.latest("pk")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_services_round_trip_changes_nothing(lead_client, fmt):
    direction = factories.ServiceFactory(acronym="DIR", kind="direction", name="Direction générale")
    factories.ServiceFactory(acronym="VOI", name="=Voirie", parent=direction, acculturation=3, email="v@example.org")
    job = _export_and_reimport(lead_client, "partners:service_export", "services", fmt)
    assert job.status == ImportJob.Status.PREVIEW, job.report
    assert job.report["counts"] == {"create": 0, "update": 0, "unchanged": 2, "error": 0}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_partners_round_trip_changes_nothing(lead_client, fmt):
    factories.PartnerFactory(name="Data SAS", city="Lyon", website="https://data.example.org", description="-x")
    factories.PartnerFactory(name="Université", category=Partner.Category.choices[0][0])
    job = _export_and_reimport(lead_client, "partners:partner_export", "partners", fmt)
    assert job.status == ImportJob.Status.PREVIEW, job.report
    assert job.report["counts"] == {"create": 0, "update": 0, "unchanged": 2, "error": 0}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_projects_round_trip_changes_nothing(lead_client, fmt):
    import datetime

    helper = factories.ServiceFactory(acronym="DATA")
    official = factories.ElectedOfficialFactory()
    project = factories.ProjectFactory(
        code="TC-01",
        budget_planned=125000,
        budget_committed=90000,
        budget_spent=30000,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 1, 1),
    )
    project.sponsor = official
    project.save()
    project.contributing_services.set([helper])
    project.domains.set([factories.DomainFactory(slug="mobilite", name="Mobilité")])
    Project.objects.filter(pk=project.pk).update(health="at_risk", progress=40)
    factories.ProjectFactory(code="TC-02")
    versions = dict(Project.objects.values_list("code", "version"))
    job = _export_and_reimport(lead_client, "programmes:project_export", "projects", fmt)
    assert job.status == ImportJob.Status.PREVIEW, job.report
    assert job.report["counts"] == {"create": 0, "update": 0, "unchanged": 2, "error": 0}, job.report["rows"]
    _confirm(lead_client, job)
    assert dict(Project.objects.values_list("code", "version")) == versions


def test_project_budgets_are_exported_and_imported_all_or_nothing(lead_client):
    factories.ProjectFactory(code="B-1", budget_planned=1000, budget_committed=700, budget_spent=200)
    factories.ProjectFactory(code="B-2")
    text = lead_client.get(reverse("programmes:project_export"), {"format": "csv"}).content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    columns = header.split(";")
    assert "Budget engagé (€)" in columns
    assert row.split(";")[columns.index("Budget engagé (€)")] == "700.00"
    job = _import(None, "projects", "code;Budget engagé (€);Budget consommé (€)\nB-1;800;250\nB-2;-5;0\n")
    assert job.status == ImportJob.Status.REJECTED, job.report
    assert job.report["counts"]["error"] == 1
    assert Project.objects.get(code="B-1").budget_committed == 700
    job = _import(None, "projects", "code;budget_committed;budget_spent\nB-1;800;250\nB-2;-;\n")
    assert job.status == ImportJob.Status.PREVIEW, job.report
    _confirm(lead_client, job)
    assert Project.objects.get(code="B-1").budget_committed == 800
    assert Project.objects.get(code="B-1").budget_spent == 250


def test_english_headers_are_accepted():
    factories.ServiceFactory(acronym="VOI", name="Voirie")
    job = _import(None, "services", "Acronym;Name;E-mail\nVOI;Voirie;v@example.org\n")
    assert job.status == ImportJob.Status.PREVIEW, job.report
    assert job.report["counts"]["update"] == 1


def test_the_template_has_french_headers_an_example_and_accepted_values(lead_client):
    factories.DomainFactory(slug="mobilite", name="Mobilité")
    text = lead_client.get(reverse("imports:template", args=["projects"])).content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Code;Projet;Programme;Service pilote")
    assert lines[1].startswith("MOB-01;")
    for word in ("Phase", "Météo", "Mobilité", "Type de relation"):
        assert word in text
    # The template read back: its notes are not rows; its header matches.
    _name, rows = read_upload(SimpleUploadedFile("modele.csv", text.encode()))
    assert len(rows) == 1


# 5. Bounded and exact reading ----------------------------------------------


def test_a_stray_formatted_cell_far_down_does_not_pin_the_request():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "category"])
    sheet.append(["Alpha", "company"])
    sheet.append([None, None])
    sheet.append(["Beta", "company"])
    sheet.cell(row=20000, column=16384).font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.monotonic()
    _name, rows = read_upload(SimpleUploadedFile("p.xlsx", buffer.getvalue()))
    assert time.monotonic() - started < 5
    assert rows == [{"name": "Alpha", "category": "company"}, {"name": "Beta", "category": "company"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name;category\nA;company\nB;" + b"x" * 200_000 + b"\n", "Ligne 3"),
        (b"name;category\n" + b"P;company\n" * 1000 + b"Nul\x00;company\n", "Ligne 1002"),
        ("name;category\nCafé;company\n".encode() + "Crèche;company\n".encode("latin-1"), "Ligne 3"),
    ],
    ids=["huge-field", "late-nul", "mixed-encoding"],
)
def test_hostile_csv_gets_a_file_error_never_a_500(lead_client, content, message):
    with pytest.raises(ImportFileError) as exc:
        read_upload(SimpleUploadedFile("p.csv", content))
    assert message in str(exc.value)
    response = lead_client.post(reverse("partners:partner_import"), {"file": SimpleUploadedFile("p.csv", content)})
    assert response.status_code == 200 and message in str(response.context["form"].errors)
    assert not ImportJob.objects.exists()
