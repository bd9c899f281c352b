import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.dateparse import parse_date

from smartcity.site.demo.builder import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder, ensure_demo_accounts, is_seeded


class Command(BaseCommand):
    help = "Load the demo metropolis (Orvalle). Safe to re-run: existing demo data is kept."

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

    def handle(self, *args, scale: int, today, reset: bool, quiet_accounts: bool, **options) -> None:
        if scale < 1:
            self.stderr.write("--scale must be 1 or more.")
            raise SystemExit(2)
        if reset:
            call_command("flush_portfolio", verbosity=0)
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
