"""When each demo project was registered in Orchestre.

Projects are bulk-created at seeding time, so without this every one of
them would look registered today: all "new since the last committee" in the
meeting pack. A real portfolio was logged over years, mostly before the
project started or just after; a few were logged recently, some of them
long after they started (registered late: still news to the committee).

Deterministic (its own seeded generator, dates from the builder's
``today``), before the meetings' packs are frozen, and bulk-written."""

import datetime
import random
import unicodedata

from django.db.models import Min

from programmes.models import Project, StatusReport

# Of the projects that first reported in the last seven weeks (or never),
# this share was registered in that time too.
RECENT_SHARE = 0.6


def add_registration_dates(builder) -> None:
    rng = random.Random(f"orchestre-demo-registration-{builder.scale}")
    first_report = dict(
        StatusReport.objects.values("project_id").annotate(first=Min("created_at")).values_list("project_id", "first")
    )
    today = builder.at(builder.today, 9)
    projects = list(Project.objects.order_by("pk").only("pk", "start_date", "created_at"))
    for project in projects:
        first = first_report.get(project.pk)
        if (first is None or first > today - datetime.timedelta(days=50)) and rng.random() < RECENT_SHARE:
            registered = today - datetime.timedelta(days=rng.randint(8, 45), hours=rng.randint(0, 6))
        else:
            start = builder.at(project.start_date, 9) if project.start_date else today
            registered = start - datetime.timedelta(days=rng.randint(-20, 90), hours=rng.randint(0, 6))
        if first is not None:
            # Nothing is reported before it is registered.
            registered = min(registered, first - datetime.timedelta(days=rng.randint(1, 10)))
        project.created_at = min(registered, today)
    Project.objects.bulk_update(projects, ["created_at"], batch_size=500)


def ascii_email(address: str) -> str:
    """ "Élise.Lefèvre@…" → "elise.lefevre@…": a plain-ASCII address that any
    mail server accepts (accented local parts need SMTPUTF8)."""
    return unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode("ascii").lower()
