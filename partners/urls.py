from django.urls import path

from . import awareness_views, views

app_name = "partners"

urlpatterns = [
    path("services/", views.service_list, name="service_list"),
    path("services/export/", views.service_export, name="service_export"),
    path("services/nouveau/", views.service_create, name="service_create"),
    path("services/import/", views.service_import, name="service_import"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:pk>/modifier/", views.service_update, name="service_update"),
    path("services/<int:pk>/acculturation/", views.service_acculturation, name="service_acculturation"),
    path("services/<int:pk>/archiver/", views.service_archive, name="service_archive"),
    path("services/<int:pk>/historique/", views.service_history, name="service_history"),
    path("partenaires/<int:pk>/historique/", views.partner_history, name="partner_history"),
    path("partenaires/", views.partner_list, name="partner_list"),
    path("partenaires/export/", views.partner_export, name="partner_export"),
    path("partenaires/nouveau/", views.partner_create, name="partner_create"),
    path("partenaires/import/", views.partner_import, name="partner_import"),
    path("partenaires/<int:pk>/", views.partner_detail, name="partner_detail"),
    path("partenaires/<int:pk>/modifier/", views.partner_update, name="partner_update"),
    path("partenaires/<int:pk>/archiver/", views.partner_archive, name="partner_archive"),
    path("partenaires/<int:pk>/contacts/nouveau/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/modifier/", views.contact_update, name="contact_update"),
    path("contacts/<int:pk>/archiver/", views.contact_archive, name="contact_archive"),
    path("partenaires/<int:pk>/echanges/nouveau/", views.interaction_create, name="interaction_create"),
    path("echanges/<int:pk>/modifier/", views.interaction_update, name="interaction_update"),
    # --- Awareness actions (issue 14) ---
    path("sensibilisation/", awareness_views.awareness_list, name="awareness_list"),
    path("sensibilisation/nouvelle/", awareness_views.awareness_create, name="awareness_create"),
    path("sensibilisation/<int:pk>/modifier/", awareness_views.awareness_update, name="awareness_update"),
    path("sensibilisation/<int:pk>/archiver/", awareness_views.awareness_archive, name="awareness_archive"),
    path("choix/services/", views.service_pick, name="service_pick"),
    path("choix/partenaires/", views.partner_pick, name="partner_pick"),
    path("choix/elus/", views.official_pick, name="official_pick"),
]
