from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Milestone, Programme, Project, ProjectPartner, StatusReport


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date", "end_date", "is_archived"]
    search_fields = ["name"]


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(ProjectPartner)
class ProjectPartnerAdmin(SimpleHistoryAdmin):
    list_display = ["project", "partner", "relationship", "start_date", "end_date"]
    list_filter = ["relationship"]
    search_fields = ["project__code", "partner__name"]
    list_select_related = ["project", "partner"]
    autocomplete_fields = ["project", "partner"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "programme", "lead_service", "phase", "health", "progress"]
    list_filter = ["programme", "phase", "health", "domains", "is_archived"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["lead_service", "contributing_services", "sponsor"]
    filter_horizontal = ["domains"]
    list_select_related = ["programme", "lead_service"]
    readonly_fields = ["version", "last_reported_at"]
    inlines = [ProjectPartnerInline, MilestoneInline]


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ["project", "created_at", "health", "progress", "author", "is_no_change"]
    list_filter = ["health", "is_no_change"]
    search_fields = ["project__code", "project__name"]
    list_select_related = ["project", "author"]
    raw_id_fields = ["project"]
    date_hierarchy = "created_at"


# --- Status reporting (issue 4) ------------------------------------------------
# Cycles are opened, closed and configured from /suivi/ (services keep the
# single open cycle invariant); the admin only reads them and the e-mail log.
from .models import ReminderLog, ReportingCycle  # noqa: E402


@admin.register(ReportingCycle)
class ReportingCycleAdmin(admin.ModelAdmin):
    list_display = ["starts_at", "ends_at", "length_months", "remind_days_before_end", "closed_at", "closed_by"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ["cycle", "recipient", "kind", "status", "project_count", "claimed_at", "sent_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["cycle", "recipient"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
