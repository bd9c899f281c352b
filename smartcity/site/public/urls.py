from django.urls import path

from . import views

# Mounted in the ``site`` namespace; stable addresses (the open data's URLs
# are published: never rename them).
public_patterns = [
    path("public/", views.portfolio, name="public_portfolio"),
    path("public/projets/<int:pk>/", views.project, name="public_project"),
    path("public/liens/", views.links, name="public_links"),
    path("public/donnees/", views.data, name="public_data"),
    path("public/donnees/projets.json", views.projects_json, name="public_projects_json"),
    path("public/donnees/projets.csv", views.projects_csv, name="public_projects_csv"),
    path("public/donnees/projets.schema.json", views.schema_json, name="public_schema_json"),
]
