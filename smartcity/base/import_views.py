"""Pages of the spreadsheet import: upload (called from each app's view),
job status with preview and progress, confirmation, template download."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from . import imports
from .models import ImportJob
from .permissions import lead_required


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    create_missing = forms.BooleanField(required=False, initial=False)

    def __init__(self, *args, create_option=None, **kwargs):
        super().__init__(*args, **kwargs)
        if create_option:
            self.fields["create_missing"].label = create_option
        else:
            del self.fields["create_missing"]


def upload_page(request: HttpRequest, *, kind: str, back_url: str) -> HttpResponse:
    """Upload form for one kind of import; on success, the job's page."""
    importer = imports.importer_for(kind)
    form = UploadForm(request.POST or None, request.FILES or None, create_option=importer.create_option)
    if request.method == "POST" and form.is_valid():
        options = {"create_missing": bool(form.cleaned_data.get("create_missing"))}
        try:
            job = imports.import_job_create(
                kind=kind, upload=form.cleaned_data["file"], user=request.user, options=options
            )
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect(job.get_absolute_url())
    context = {
        "form": form,
        "kind": kind,
        "kind_label": imports.kind_label(kind),
        "columns": importer.columns,
        "back_url": back_url,
        "max_rows": imports.max_rows(),
        "clear_markers": imports.CLEAR_MARKERS,
        "max_mb": settings.ORCHESTRE_UPLOAD_MAX_BYTES // (1024 * 1024),
        "recent": ImportJob.objects.filter(kind=kind).select_related("created_by")[:5],
    }
    return render(request, "base/import_upload.html", context)


@require_safe
@lead_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    rows = job.report.get("rows", [])
    context = {
        "job": job,
        "progress": imports.job_progress(job),
        "percent": round(100 * imports.job_progress(job) / job.total_rows) if job.total_rows else 100,
        "counts": job.report.get("counts", {}),
        "error_rows": [r for r in rows if r["errors"]][:200],
        "action_rows": [r for r in rows if not r["errors"] and r.get("action") != "unchanged"][:200],
        "upload_url": reverse(imports.KINDS[job.kind].upload_url),
        "kind_label": imports.kind_label(job.kind),
    }
    if request.htmx:
        response = render(request, "base/import_progress.html", context)
        if not job.is_running:
            # Finished: reload the whole page to show the preview or the result.
            response["HX-Refresh"] = "true"
        return response
    return render(request, "base/import_job.html", context)


@require_POST
@lead_required
def job_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=pk)
    try:
        job = imports.import_job_confirm(job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if job.status == ImportJob.Status.DONE:
            messages.success(request, _("Import done."))
    return redirect(job.get_absolute_url())


@require_safe
@lead_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in imports.KINDS:
        raise Http404
    response = HttpResponse(imports.template_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele-import-{kind}.csv"'
    return response
