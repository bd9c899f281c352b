from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Rebuilt by migrate (content types, permissions) or worthless in a restore
# (sessions, admin log, sign-in attempts).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class Command(BaseCommand):
    help = "Write every Orchestre row (users, roles, portfolio, history) as JSON, for restore_backup."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, *args, output: str | None, **options) -> None:
        arguments = [
            "--format=exact_json",  # times to the microsecond; read back as plain "json"
            "--natural-foreign",
            # No --natural-primary: every row keeps its primary key (users and
            # groups included), so that a restore is identical.
            *[f"--exclude={label}" for label in EXCLUDED],
        ]
        if output:
            arguments += ["--output", output]
        call_command("dumpdata", *arguments, stdout=self.stdout)
