"""Right of access: write all data held on one person as JSON (logged)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from smartcity.site.gdpr import services


class Command(BaseCommand):
    help = "Export all the data Orchestre holds on one person (contact person or user account) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(services.SUBJECTS), help="contact or account")
        parser.add_argument("pk", type=int)
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, kind: str, pk: int, output: str | None = None, **options):
        subject = services.SUBJECTS[kind].objects.filter(pk=pk).first()
        if subject is None:
            raise CommandError(f"No {kind} with id {pk}.")
        data = services.personal_data_export(kind=kind, subject=subject, actor=None, channel="command")
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(body)
            self.stdout.write(f"Written to {output}.")
        else:
            self.stdout.write(body)
