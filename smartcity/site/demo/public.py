"""The demo city's public face and its contacts' GDPR data.

Public: projects being piloted, deployed or operated, the city's
showcase (about half of the portfolio), and never an archived one.
Contact persons: a lawful-basis note and a last-confirmed date each; about
one in six not confirmed nor edited for longer than the review period, so
the lead's review list has work on it. Deterministic, bulk-written."""

import datetime
import random

from django.conf import settings
from django.db.models import Case, Q, Value, When

from partners.models import ContactPerson
from programmes.models import Phase, Project

SHOWN = (Phase.PILOT, Phase.DEPLOYMENT, Phase.OPERATION)
BASES = [
    "Intérêt légitime : interlocuteur du partenaire sur un projet en cours.",
    "Mission d'intérêt public : convention de partenariat signée avec la ville.",
    "Intérêt légitime : contact communiqué par l'organisation pour le suivi du programme.",
]


def add_public_face(builder) -> None:
    rng = random.Random(f"orchestre-demo-public-{builder.scale}")
    Project.objects.update(
        is_public=Case(When(Q(phase__in=SHOWN, is_archived=False), then=Value(True)), default=Value(False))
    )
    review_days = settings.ORCHESTRE_CONTACT_REVIEW_DAYS
    contacts = list(ContactPerson.objects.order_by("pk").only("pk"))
    due = 0
    for index, contact in enumerate(contacts):
        contact.lawful_basis = BASES[index % len(BASES)]
        if rng.random() < 0.17:
            due += 1
            day = builder.today - datetime.timedelta(days=review_days + 30 + (index * 37) % 400)
            contact.last_confirmed_on = day if index % 3 else None
            contact.created_at = contact.updated_at = datetime.datetime.combine(
                day, datetime.time(9), tzinfo=datetime.UTC
            )
        else:
            contact.last_confirmed_on = builder.today - datetime.timedelta(days=(index * 53) % (review_days - 10))
            contact.created_at = contact.updated_at = datetime.datetime.combine(
                contact.last_confirmed_on, datetime.time(9), tzinfo=datetime.UTC
            )
    ContactPerson.objects.bulk_update(
        contacts, ["lawful_basis", "last_confirmed_on", "created_at", "updated_at"], batch_size=500
    )
    builder.counts.update(public_projects=Project.objects.filter(is_public=True).count(), contacts_to_review=due)
