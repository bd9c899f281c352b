from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from partners.models import Service
from smartcity.site.demo.safety import PORTFOLIO_MODELS, is_demo_database, portfolio_counts


class Command(BaseCommand):
    help = (
        "Delete every programme, project, service, partner, official and committee of a demo database "
        "(accounts and domains are kept). Refuses on a database that seed_demo did not build."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, yes: bool, **options) -> None:
        counts = [(name, n) for name, n in portfolio_counts() if n]
        if not is_demo_database():
            raise CommandError(
                "This database was not built by seed_demo: flush_portfolio deletes nothing here. "
                "(A city's data is never flushed by a demo command; use a backup and Django's own tools.)"
            )
        self.stdout.write("This deletes:" if counts else "The portfolio is already empty.")
        for name, n in counts:
            self.stdout.write(f"  {n:>7}  {name}")
        if not counts:
            return
        if not yes:
            answer = input("Type 'yes' to delete them: ") if self.stdin_isatty() else ""
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing deleted (confirm with --yes, or answer 'yes').")
        self._flush()
        self.stdout.write("Portfolio data deleted.")

    @staticmethod
    def stdin_isatty() -> bool:
        import sys

        return sys.stdin.isatty()

    @transaction.atomic
    def _flush(self) -> None:
        for model in PORTFOLIO_MODELS:
            if model is Service:
                # Directions hold services (PROTECT): the services first.
                Service.objects.filter(parent__isnull=False).delete()
            model.objects.all().delete()
            if hasattr(model, "history"):
                model.history.model.objects.all().delete()
        # The demo's generated directors (the named demo accounts are kept).
        User.objects.filter(username__startswith="dir.", is_staff=False).delete()
