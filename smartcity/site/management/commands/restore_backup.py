from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings

from programmes.models import Project


class Command(BaseCommand):
    help = "Load a backup_data file into an empty, migrated database, in one transaction."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")

    def handle(self, *args, path: str, **options) -> None:
        if Project.objects.exists():
            raise CommandError("The database already holds projects: restore into an empty, migrated database.")
        # The backup carries the history tables: loading many-to-many fields
        # must not write extra history rows (django-simple-history tracks them).
        with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
            call_command("loaddata", path, verbosity=options["verbosity"])
        self.stdout.write(f"Restored {path}.")
