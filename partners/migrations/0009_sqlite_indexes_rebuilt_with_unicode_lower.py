"""On SQLite, rebuild the indexes once LOWER() knows more than ASCII.

Each SQLite connection now gets a Unicode LOWER() (smartcity/base/sqlite.py),
which the case-insensitive unique constraints on names use. Index entries
written before by SQLite's ASCII-only lower() ("rÉgie" for "RÉGIE") would no
longer be found: REINDEX writes them again with the function in use.
Nothing to do on PostgreSQL."""

from django.db import migrations


def reindex(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("REINDEX")


class Migration(migrations.Migration):
    dependencies = [("partners", "0008_merge_contact_review")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
