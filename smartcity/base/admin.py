from django.contrib import admin

from .models import DeferredTask


@admin.register(DeferredTask)
class DeferredTaskAdmin(admin.ModelAdmin):
    list_display = ["task_name", "created_at", "attempts", "last_attempt_at"]
    readonly_fields = ["task_name", "kwargs", "error", "attempts", "created_at", "last_attempt_at"]
