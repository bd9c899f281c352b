"""The indicator code list, shipped as data: a starting subset of the
frameworks cities use to compare like with like (ISO 37120:2018 city
services and quality of life, ISO 37122:2019 smart cities, ITU U4SSC key
performance indicators). Clause numbers and titles are given as the team
read them, titles shortened: check them against your licensed copy of the
standard before publishing a comparison. A city adds its own codes in the
admin; a project's indicator needs no code at all."""

from django.db import migrations

CODES = [
    # (framework, code, name, unit)
    ("iso37120", "5.1", "Taux de chômage de la ville", "%"),
    ("iso37120", "6.1", "Part de la population d'âge scolaire scolarisée", "%"),
    ("iso37120", "7.1", "Consommation finale d'énergie par habitant", "GJ/an"),
    ("iso37120", "7.2", "Part de l'énergie finale issue de sources renouvelables", "%"),
    ("iso37120", "7.5", "Consommation d'énergie des bâtiments publics", "kWh/m²/an"),
    ("iso37120", "7.6", "Consommation de l'éclairage public par km de voie éclairée", "kWh/km/an"),
    ("iso37120", "8.1", "Concentration en particules fines (PM2,5)", "µg/m³"),
    ("iso37120", "8.2", "Concentration en particules (PM10)", "µg/m³"),
    ("iso37120", "8.3", "Émissions de gaz à effet de serre par habitant", "tCO₂e/hab."),
    ("iso37120", "8.4", "Concentration en dioxyde d'azote (NO₂)", "µg/m³"),
    ("iso37120", "14.1", "Surface d'espaces récréatifs publics par habitant", "m²/hab."),
    ("iso37120", "16.2", "Déchets ménagers collectés par habitant", "kg/hab./an"),
    ("iso37120", "16.3", "Part des déchets ménagers recyclés", "%"),
    ("iso37120", "17.1", "Équipements culturels et sportifs pour 100 000 habitants", "nombre"),
    ("iso37120", "19.1", "Kilomètres de transport en commun pour 100 000 habitants", "km"),
    ("iso37120", "19.2", "Voyages en transport en commun par habitant et par an", "voyages/hab."),
    ("iso37120", "19.3", "Part des actifs se rendant au travail autrement qu'en voiture individuelle", "%"),
    ("iso37120", "19.4", "Kilomètres d'aménagements cyclables pour 100 000 habitants", "km"),
    ("iso37120", "21.1", "Surface d'espaces verts pour 100 000 habitants", "ha"),
    ("iso37120", "23.5", "Pertes d'eau du réseau de distribution", "%"),
    ("iso37122", "7.3", "Part de l'éclairage public piloté par un système de gestion", "%"),
    ("iso37122", "10.1", "Part des services municipaux accessibles en ligne", "%"),
    ("iso37122", "10.3", "Jeux de données ouverts publiés pour 100 000 habitants", "nombre"),
    ("iso37122", "6.2", "Part des élèves ayant accès à des outils numériques en classe", "%"),
    ("iso37122", "17.2", "Part des collections culturelles numérisées", "%"),
    ("iso37122", "19.2", "Part des arrêts de transport en commun avec information en temps réel", "%"),
    ("iso37122", "19.6", "Part des places de stationnement équipées de capteurs", "%"),
    ("iso37122", "23.3", "Part du réseau d'eau suivi par des capteurs connectés", "%"),
    ("u4ssc", "EC-ICT-ICT-1C", "Foyers ayant accès à internet", "%"),
    ("u4ssc", "EN-EN-EN-2C", "Consommation électrique par habitant", "kWh/an"),
    ("u4ssc", "EN-EQ-AQ-1C", "Qualité de l'air (PM2,5)", "µg/m³"),
    ("u4ssc", "SC-ED-ED-1C", "Élèves ayant accès aux outils numériques", "%"),
    ("u4ssc", "SC-CU-CU-1A", "Dépenses culturelles par habitant", "€/hab."),
]


def add_codes(apps, schema_editor):
    IndicatorCode = apps.get_model("programmes", "IndicatorCode")
    for framework, code, name, unit in CODES:
        IndicatorCode.objects.update_or_create(
            framework=framework, code=code, defaults={"name": name, "unit": unit}
        )


def remove_codes(apps, schema_editor):
    IndicatorCode = apps.get_model("programmes", "IndicatorCode")
    for framework, code, _name, _unit in CODES:
        IndicatorCode.objects.filter(framework=framework, code=code, indicators__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("programmes", "0007_indicators_and_usefulness_sheets")]

    operations = [migrations.RunPython(add_codes, remove_codes)]
