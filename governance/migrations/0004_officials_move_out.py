"""Elected officials now live in the organisation layer (partners 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_minutes_attendance_amendments_pack_snapshots_calendar_token"),
        ("partners", "0003_domain_and_officials_move_in"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attendance",
                    name="official",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="partners.electedofficial",
                        verbose_name="official",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalattendance",
                    name="official",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="partners.electedofficial",
                        verbose_name="official",
                    ),
                ),
                migrations.AlterField(
                    model_name="committee",
                    name="members",
                    field=models.ManyToManyField(
                        blank=True, related_name="committees", to="partners.electedofficial", verbose_name="members"
                    ),
                ),
                migrations.DeleteModel(name="HistoricalElectedOfficial_domains"),
                migrations.DeleteModel(name="HistoricalElectedOfficial"),
                migrations.DeleteModel(name="ElectedOfficial"),
            ],
        ),
    ]
