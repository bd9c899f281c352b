"""Domains move down to the organisation layer (partners 0003); project–partner
links move up here, where projects are known. State only: see partners 0003."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

RELATIONSHIP_CHOICES = [
    ("client_supplier", "Client–supplier"),
    ("partnership", "Partnership"),
    ("co_construction", "Co-construction"),
    ("funding", "Funding"),
    ("data_provider", "Data provider"),
    ("delegated_operator", "Delegated operator"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0003_reporting_cycles_and_reminders"),
        ("partners", "0003_domain_and_officials_move_in"),
        ("governance", "0004_officials_move_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalproject_domains",
                    name="domain",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partners.domain",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalproject",
                    name="sponsor",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partners.electedofficial",
                        verbose_name="sponsor official",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="domains",
                    field=models.ManyToManyField(
                        blank=True, related_name="projects", to="partners.domain", verbose_name="domains"
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="sponsor",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="sponsored_projects",
                        to="partners.electedofficial",
                        verbose_name="sponsor official",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalDomain"),
                migrations.DeleteModel(name="Domain"),
                migrations.CreateModel(
                    name="ProjectPartner",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "relationship",
                            models.CharField(
                                choices=RELATIONSHIP_CHOICES, max_length=30, verbose_name="relationship kind"
                            ),
                        ),
                        ("role", models.CharField(blank=True, max_length=200, verbose_name="role")),
                        ("start_date", models.DateField(blank=True, null=True, verbose_name="since")),
                        ("end_date", models.DateField(blank=True, null=True, verbose_name="until")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "partner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="project_links",
                                to="partners.partner",
                                verbose_name="partner",
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="partner_links",
                                to="programmes.project",
                                verbose_name="project",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "project–partner link",
                        "verbose_name_plural": "project–partner links",
                        "ordering": ["partner__name"],
                        "db_table": "partners_projectpartner",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("project", "partner", "relationship"), name="project_partner_kind_unique"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("end_date__isnull", True),
                                    ("start_date__isnull", True),
                                    ("end_date__gte", models.F("start_date")),
                                    _connector="OR",
                                ),
                                name="project_partner_dates_ordered",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalProjectPartner",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        (
                            "relationship",
                            models.CharField(
                                choices=RELATIONSHIP_CHOICES, max_length=30, verbose_name="relationship kind"
                            ),
                        ),
                        ("role", models.CharField(blank=True, max_length=200, verbose_name="role")),
                        ("start_date", models.DateField(blank=True, null=True, verbose_name="since")),
                        ("end_date", models.DateField(blank=True, null=True, verbose_name="until")),
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "partner",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="partners.partner",
                                verbose_name="partner",
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="programmes.project",
                                verbose_name="project",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical project–partner link",
                        "verbose_name_plural": "historical project–partner links",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                        "db_table": "partners_historicalprojectpartner",
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
        ),
    ]
