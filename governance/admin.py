from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionItem, AgendaItem, Committee, Decision, Meeting


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "next_meeting_number", "is_archived"]
    filter_horizontal = ["members", "invited_services"]
    readonly_fields = ["next_meeting_number"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["projects"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "committee", "starts_at", "status"]
    list_filter = ["committee", "status"]
    readonly_fields = ["number"]
    inlines = [AgendaItemInline]

    def save_model(self, request, obj, form, change):
        if not change:
            from .services import meeting_create

            created = meeting_create(
                committee=obj.committee,
                data={
                    "starts_at": obj.starts_at,
                    "place": obj.place,
                    "duration_minutes": obj.duration_minutes,
                    "summary": obj.summary,
                },
            )
            obj.pk, obj.number = created.pk, created.number
            obj._state.adding = False
        super().save_model(request, obj, form, change)


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting"]
    list_filter = ["meeting__committee"]
    search_fields = ["text"]
    autocomplete_fields = ["projects"]
    list_select_related = ["meeting__committee"]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting", "owner_service", "due_date", "status"]
    list_filter = ["status", "meeting__committee"]
    search_fields = ["title", "owner_name"]
    autocomplete_fields = ["owner_service", "projects"]
    list_select_related = ["meeting__committee", "owner_service"]
