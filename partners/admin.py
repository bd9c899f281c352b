from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactPerson, Domain, ElectedOfficial, Partner, Service


@admin.register(Service)
class ServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "parent", "director", "acculturation", "is_archived"]
    list_filter = ["kind", "acculturation", "is_archived"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["parent", "director"]


class ContactInline(admin.TabularInline):
    model = ContactPerson
    extra = 0


@admin.register(Partner)
class PartnerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "category", "city", "is_archived"]
    list_filter = ["category", "is_archived"]
    search_fields = ["name"]
    inlines = [ContactInline]


@admin.register(ContactPerson)
class ContactPersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "partner", "job_title", "email"]
    search_fields = ["last_name", "first_name", "email", "partner__name"]
    list_select_related = ["partner"]


@admin.register(Domain)
class DomainAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "position", "is_archived"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ElectedOfficial)
class ElectedOfficialAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "delegation", "is_active"]
    search_fields = ["last_name", "first_name", "delegation"]
    filter_horizontal = ["domains"]
    autocomplete_fields = ["user"]
