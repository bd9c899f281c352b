"""Domains and elected officials move into the organisation layer (partners);
project–partner links move up to programmes (issue 10).

State only: the tables stay where they are in this step and are renamed by
0004. A database at the previous release keeps every row.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

HISTORY_FIELDS = [
    ("history_id", models.AutoField(primary_key=True, serialize=False)),
    ("history_date", models.DateTimeField(db_index=True)),
    ("history_change_reason", models.CharField(max_length=100, null=True)),
    (
        "history_type",
        models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
    ),
    (
        "history_user",
        models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
        ),
    ),
]
HISTORY_OPTIONS = {"ordering": ("-history_date", "-history_id"), "get_latest_by": ("history_date", "history_id")}


def history_fields():
    return [(name, field.clone()) for name, field in HISTORY_FIELDS]


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_initial"),
        ("programmes", "0003_reporting_cycles_and_reminders"),
        ("governance", "0003_minutes_attendance_amendments_pack_snapshots_calendar_token"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Domain",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=100, unique=True, verbose_name="slug")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("color", models.CharField(default="#6c757d", max_length=7, verbose_name="colour")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                        ("is_archived", models.BooleanField(default=False, verbose_name="archived")),
                    ],
                    options={
                        "verbose_name": "domain",
                        "verbose_name_plural": "domains",
                        "ordering": ["position", "name"],
                        "db_table": "programmes_domain",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalDomain",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("name", models.CharField(db_index=True, max_length=100, verbose_name="name")),
                        ("slug", models.SlugField(max_length=100, verbose_name="slug")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("color", models.CharField(default="#6c757d", max_length=7, verbose_name="colour")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                        ("is_archived", models.BooleanField(default=False, verbose_name="archived")),
                        *history_fields(),
                    ],
                    options={
                        "verbose_name": "historical domain",
                        "verbose_name_plural": "historical domains",
                        "db_table": "programmes_historicaldomain",
                        **HISTORY_OPTIONS,
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="ElectedOfficial",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("first_name", models.CharField(max_length=100, verbose_name="first name")),
                        ("last_name", models.CharField(max_length=100, verbose_name="last name")),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                        ("delegation", models.CharField(max_length=300, verbose_name="delegation")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("is_active", models.BooleanField(default=True, verbose_name="in office")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "domains",
                            models.ManyToManyField(
                                blank=True, related_name="officials", to="partners.domain", verbose_name="domains"
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="official",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user account",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "elected official",
                        "verbose_name_plural": "elected officials",
                        "ordering": ["last_name", "first_name"],
                        "db_table": "governance_electedofficial",
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalElectedOfficial",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("first_name", models.CharField(max_length=100, verbose_name="first name")),
                        ("last_name", models.CharField(max_length=100, verbose_name="last name")),
                        ("title", models.CharField(blank=True, max_length=200, verbose_name="title")),
                        ("delegation", models.CharField(max_length=300, verbose_name="delegation")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-mail")),
                        ("is_active", models.BooleanField(default=True, verbose_name="in office")),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
                        *history_fields(),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user account",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical elected official",
                        "verbose_name_plural": "historical elected officials",
                        "db_table": "governance_historicalelectedofficial",
                        **HISTORY_OPTIONS,
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalElectedOfficial_domains",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                        (
                            "domain",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_tablespace="",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="partners.domain",
                            ),
                        ),
                        (
                            "electedofficial",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                db_tablespace="",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="partners.electedofficial",
                            ),
                        ),
                        (
                            "history",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                to="partners.historicalelectedofficial",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "HistoricalElectedOfficial_domains",
                        "db_table": "governance_historicalelectedofficial_domains",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                # Project–partner links: their state moves to programmes (0004 there).
                migrations.DeleteModel(name="HistoricalProjectPartner"),
                migrations.DeleteModel(name="ProjectPartner"),
            ],
        ),
    ]
