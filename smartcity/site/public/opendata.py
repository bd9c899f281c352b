"""The open-data export of public projects: one row shape for CSV and JSON,
and the JSON Schema that documents it, both built from ``fields``."""

import csv
import io
from typing import Any

from django.urls import reverse

from smartcity.base.exports import neutralise

from .fields import LICENCE_NAME, LICENCE_URL, PROJECT_FIELDS, RELATED_FIELDS

JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer", "minimum": 0},
    "number": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
    "date": {"type": ["string", "null"], "format": "date"},
}


def project_url(base_url: str = ""):
    """A function giving a public project's address from its pk: the URL is
    reversed once, not once per project of the open-data files."""
    marker = "2147483647"
    head, tail = reverse("site:public_project", args=[int(marker)]).split(marker)
    return lambda pk: f"{base_url}{head}{pk}{tail}"


def project_row(row: dict[str, Any], *, url) -> dict[str, Any]:
    """One published project from a ``selectors.public_project_rows`` row;
    ``url`` is a ``project_url`` function."""
    published: dict[str, Any] = {}
    for name in PROJECT_FIELDS:
        value = row[name]
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif name == "budget_planned":
            value = str(value)
        published[name] = value
    published["lead_service"] = row["lead_service"]
    published["domains"] = row["domains"]
    published["partners"] = row["partners"]
    published["url"] = url(row["pk"])
    return published


def as_json(rows, *, base_url: str) -> dict[str, Any]:
    url = project_url(base_url)
    return {
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "schema": base_url + reverse("site:public_schema_json"),
        "projects": [project_row(row, url=url) for row in rows],
    }


def as_csv(rows, *, base_url: str) -> str:
    columns = [*PROJECT_FIELDS, *RELATED_FIELDS]
    url = project_url(base_url)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for source in rows:
        row = project_row(source, url=url)
        row["domains"] = "; ".join(row["domains"])
        row["partners"] = "; ".join(f"{p['name']} ({p['relationship']})" for p in row["partners"])
        writer.writerow([neutralise(row[column]) for column in columns])
    return out.getvalue()


def json_schema(*, base_url: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for name, (kind, description) in PROJECT_FIELDS.items():
        properties[name] = {**JSON_TYPES[kind], "description": str(description)}
    properties["lead_service"] = {"type": "string", "description": str(RELATED_FIELDS["lead_service"][1])}
    properties["domains"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": str(RELATED_FIELDS["domains"][1]),
    }
    properties["partners"] = {
        "type": "array",
        "description": str(RELATED_FIELDS["partners"][1]),
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "category": {"type": "string"},
                "relationship": {"type": "string"},
            },
            "required": ["name", "category", "relationship"],
            "additionalProperties": False,
        },
    }
    properties["url"] = {"type": "string", "format": "uri", "description": str(RELATED_FIELDS["url"][1])}
    project = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": base_url + reverse("site:public_schema_json"),
        "title": "Orchestre — projets publics",
        "type": "object",
        "properties": {
            "licence": {"type": "object"},
            "schema": {"type": "string"},
            "projects": {"type": "array", "items": project},
        },
        "required": ["licence", "schema", "projects"],
    }
