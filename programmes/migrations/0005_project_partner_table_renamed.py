"""Project–partner links take programmes' table names (see partners 0004)."""

from django.db import migrations

FROM = {"projectpartner": "partners", "historicalprojectpartner": "partners"}


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, from_app in FROM.items():
        if not ContentType.objects.filter(app_label="programmes", model=model).exists():
            ContentType.objects.filter(app_label=from_app, model=model).update(app_label="programmes")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, from_app in FROM.items():
        if not ContentType.objects.filter(app_label=from_app, model=model).exists():
            ContentType.objects.filter(app_label="programmes", model=model).update(app_label=from_app)


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_domain_out_project_partner_in"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="projectpartner", table=None),
        migrations.AlterModelTable(name="historicalprojectpartner", table=None),
        migrations.RunPython(forwards, backwards),
    ]
