from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("portefeuille/", views.portfolio_overview, name="portfolio"),
    path("projets/", views.project_list, name="project_list"),
    path("choix/programmes/", views.programme_pick, name="programme_pick"),
    path("projets/export/", views.project_export, name="project_export"),
    path("projets/nouveau/", views.project_create, name="project_create"),
    path("projets/import/", views.project_import, name="project_import"),
    path("projets/<int:pk>/", views.project_detail, name="project_detail"),
    path("projets/<int:pk>/modifier/", views.project_update, name="project_update"),
    path("projets/<int:pk>/archiver/", views.project_archive, name="project_archive"),
    path("projets/<int:pk>/services/", views.project_service_link, name="project_service_link"),
    path(
        "projets/<int:pk>/services/<int:service_pk>/retirer/",
        views.project_service_unlink,
        name="project_service_unlink",
    ),
    path("projets/<int:pk>/partenaires/", views.project_partner_link, name="project_partner_link"),
    path(
        "projets/<int:pk>/partenaires/<int:link_pk>/retirer/",
        views.project_partner_unlink,
        name="project_partner_unlink",
    ),
    path("projets/<int:pk>/domaines/", views.project_domain_link, name="project_domain_link"),
    path(
        "projets/<int:pk>/domaines/<int:domain_pk>/retirer/",
        views.project_domain_unlink,
        name="project_domain_unlink",
    ),
    path("projets/<int:pk>/elu/", views.project_sponsor_set, name="project_sponsor_set"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/modifier/", views.programme_update, name="programme_update"),
    path("programmes/<int:pk>/archiver/", views.programme_archive, name="programme_archive"),
    path("domaines/", views.domain_list, name="domain_list"),
    path("domaines/<slug:slug>/", views.domain_detail, name="domain_detail"),
    # --- Status reporting (issue 4) ---
    path("mon-service/", views.my_service, name="my_service"),
    path("mon-service/rapport/", views.service_report, name="service_report"),
    path("projets/<int:pk>/rapport/", views.project_report, name="project_report"),
    path(
        "projets/<int:pk>/rapport/sans-changement/",
        views.project_report_no_change,
        name="project_report_no_change",
    ),
    path("suivi/", views.reporting_overview, name="reporting_overview"),
    path("suivi/cycle/suivant/", views.cycle_start_next, name="cycle_start_next"),
    path("suivi/cycle/reglages/", views.cycle_settings, name="cycle_settings"),
    # --- end of status reporting ---
]
