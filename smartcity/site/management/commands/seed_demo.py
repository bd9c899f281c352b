import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from smartcity.base.security import role_changes_by
from smartcity.site.demo.builder import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder, ensure_demo_accounts, is_seeded
from smartcity.site.demo.safety import holds_data, is_demo_database
from smartcity.site.models import DemoDatabase


class Command(BaseCommand):
    help = (
        "Load the demo metropolis (Orvalle) into an empty database and mark it as a demo database. "
        "Safe to re-run; refuses on a database it did not build (unless --force)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the data (projects, services, partners, meetings, histories).",
        )
        parser.add_argument(
            "--today", type=parse_date, default=None, help="Reference date (YYYY-MM-DD); dates are counted from it."
        )
        parser.add_argument("--reset", action="store_true", help="Delete all portfolio data first, then load the demo.")
        parser.add_argument("--quiet-accounts", action="store_true", help="Do not print the demo sign-ins.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Also on a database seed_demo did not build: demo accounts of the same names get the demo password.",
        )

    def handle(self, *args, scale: int, today, reset: bool, quiet_accounts: bool, force: bool, **options) -> None:
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        usernames = [account.username for account in DEMO_ACCOUNTS]
        if not is_demo_database():
            if not holds_data(usernames=usernames):
                # An empty database: it becomes a demo database.
                DemoDatabase.objects.create(scale=scale, reference_date=today)
            elif not force:
                raise CommandError(
                    "This database holds data that seed_demo did not create: nothing was changed "
                    "(no account's password is reset outside a demo database). "
                    "Use an empty database, or --force if you really mean it."
                )
            else:
                # Forced on a real database: the demo accounts, never demo data on top of a city's.
                ensure_demo_accounts()
                self.stdout.write("Demo accounts reset (--force); no demo data added to a database that holds data.")
                return
        if reset:
            call_command("flush_portfolio", "--yes", verbosity=0, stdout=self.stdout)
            DemoDatabase.objects.update(scale=scale, reference_date=today)
        # A demo database: the builder's role changes are logged at INFO, not as warnings.
        with role_changes_by("seed_demo"):
            ensure_demo_accounts()
            if is_seeded():
                self.stdout.write("Demo data already loaded; nothing added (use --reset to rebuild).")
            else:
                started = time.monotonic()
                counts = DemoBuilder(scale=scale, today=today).build()
                summary = ", ".join(f"{name}={n}" for name, n in counts.items())
                self.stdout.write(f"Demo city built at scale {scale} in {time.monotonic() - started:.1f}s: {summary}")
        if not quiet_accounts:
            self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
            for account in DEMO_ACCOUNTS:
                self.stdout.write(f"  {account.username:<20} {account.role.label} — {account.note}")
