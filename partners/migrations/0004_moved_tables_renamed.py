"""The moved models take their new app's table names, and their content
types follow them (so permissions and history keep pointing at them)."""

from django.db import migrations


FROM = {
    "domain": "programmes",
    "historicaldomain": "programmes",
    "electedofficial": "governance",
    "historicalelectedofficial": "governance",
    "historicalelectedofficial_domains": "governance",
}


def move_content_types(apps, schema_editor, mapping, to_app):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, from_app in mapping.items():
        if not ContentType.objects.filter(app_label=to_app, model=model).exists():
            ContentType.objects.filter(app_label=from_app, model=model).update(app_label=to_app)


def forwards(apps, schema_editor):
    move_content_types(apps, schema_editor, FROM, "partners")


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, from_app in FROM.items():
        if not ContentType.objects.filter(app_label=from_app, model=model).exists():
            ContentType.objects.filter(app_label="partners", model=model).update(app_label=from_app)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_domain_and_officials_move_in"),
        ("programmes", "0004_domain_out_project_partner_in"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="domain", table=None),
        migrations.AlterModelTable(name="historicaldomain", table=None),
        # Renames the officials' domain link table too.
        migrations.AlterModelTable(name="electedofficial", table=None),
        migrations.AlterModelTable(name="historicalelectedofficial", table=None),
        migrations.AlterModelTable(name="historicalelectedofficial_domains", table=None),
        migrations.RunPython(forwards, backwards),
    ]
