from django.db import migrations

# The seven domains of the smart-city strategy. Names are stored in French,
# the interface language of the city; the lead can rename or add domains.
DOMAINS = [
    ("mobilite", "Mobilité", "#0d6efd"),
    ("habitat", "Habitat", "#6f42c1"),
    ("energie", "Énergie", "#fd7e14"),
    ("environnement", "Environnement", "#198754"),
    ("gouvernance", "Gouvernance", "#495057"),
    ("education", "Éducation", "#d63384"),
    ("culture", "Culture", "#0dcaf0"),
]


def seed_domains(apps, schema_editor):
    Domain = apps.get_model("programmes", "Domain")
    for position, (slug, name, color) in enumerate(DOMAINS):
        Domain.objects.get_or_create(
            slug=slug, defaults={"name": name, "color": color, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(seed_domains, migrations.RunPython.noop)]
