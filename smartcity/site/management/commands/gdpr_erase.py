"""Right to erasure: anonymise one person, record and history (logged)."""

from django.core.management.base import BaseCommand, CommandError

from smartcity.site.gdpr import services


class Command(BaseCommand):
    help = (
        "Erase one person's data (contact person or user account): placeholders in the record and in its "
        "history; the organisations' links are kept. Needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(services.SUBJECTS), help="contact or account")
        parser.add_argument("pk", type=int)
        parser.add_argument("--yes", action="store_true", help="confirm the erasure (it cannot be undone)")

    def handle(self, *args, kind: str, pk: int, yes: bool = False, **options):
        subject = services.SUBJECTS[kind].objects.filter(pk=pk).first()
        if subject is None:
            raise CommandError(f"No {kind} with id {pk}.")
        if not yes:
            raise CommandError("Nothing erased: add --yes to confirm.")
        entry = services.personal_data_erase(kind=kind, subject=subject, actor=None, channel="command")
        self.stdout.write(f"Erased {kind} #{pk} ({entry.summary['history_rows']} historical rows scrubbed).")
