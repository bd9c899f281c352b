from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from governance.models import (
    ActionItem,
    AgendaItem,
    Amendment,
    Attendance,
    Committee,
    Decision,
    Meeting,
    PackSnapshot,
)
from partners.models import ContactPerson, ElectedOfficial, Partner, Service
from programmes.models import Milestone, Programme, Project, ProjectPartner, ReportingCycle, StatusReport


class Command(BaseCommand):
    help = "Delete every programme, project, service, partner, official and committee (keeps accounts and domains)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for model in (
            ReportingCycle,  # and its reminder logs
            Amendment,
            PackSnapshot,
            Attendance,
            ActionItem,
            Decision,
            AgendaItem,
            Meeting,
            Committee,
            StatusReport,
            Milestone,
            ProjectPartner,
            Project,
            Programme,
            ContactPerson,
            Partner,
            ElectedOfficial,
        ):
            model.objects.all().delete()
            if hasattr(model, "history"):
                model.history.model.objects.all().delete()
        Service.objects.filter(parent__isnull=False).delete()
        Service.objects.all().delete()
        Service.history.model.objects.all().delete()
        User.objects.filter(username__startswith="dir.", is_staff=False).delete()
        self.stdout.write("Portfolio data deleted.")
