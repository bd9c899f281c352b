"""A demo database built by seed_demo before the marker existed is marked
now, so that ``seed_demo`` (bin/run) keeps re-running safely on it. The demo
is recognised by its committee and its demo director together."""

from django.db import migrations


def mark(apps, schema_editor):
    DemoDatabase = apps.get_model("site", "DemoDatabase")
    Committee = apps.get_model("governance", "Committee")
    User = apps.get_model("auth", "User")
    built_by_seed_demo = (
        Committee.objects.filter(name="Comité de pilotage smart city").exists()
        and User.objects.filter(username="director.mobility").exists()
    )
    if built_by_seed_demo and not DemoDatabase.objects.exists():
        DemoDatabase.objects.create()


class Migration(migrations.Migration):
    dependencies = [
        ("site", "0001_demo_database"),
        ("governance", "0005_edit_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
