from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The bottom layer: accounts and roles, permission helpers, security,
    concurrency tokens, the spreadsheet pipeline and the task queue. It
    imports no other app of the project (ARCHITECTURE.md).

    Its label stays "smartcity", the label of the package it grew out of, so
    that its tables, migrations and task names are those of earlier releases.
    """

    name = "smartcity.base"
    label = "smartcity"
    verbose_name = _("Orchestre")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from . import documents, security  # noqa: F401 - connect their signal receivers
        from .sqlite import add_functions

        connection_created.connect(add_functions, dispatch_uid="orchestre-sqlite-functions")
