from django.core.management.base import BaseCommand

from smartcity.base.models import DeferredTask
from smartcity.base.services import deferred_tasks_resend


class Command(BaseCommand):
    help = "Send the background tasks kept in the outbox while the broker was unreachable."

    def handle(self, *args, **options) -> None:
        sent = deferred_tasks_resend()
        waiting = DeferredTask.objects.count()
        self.stdout.write(f"{sent} sent, {waiting} still waiting")
