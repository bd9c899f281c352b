from django.urls import path

from . import views
from .gdpr.urls import gdpr_patterns
from .map import views as map_views
from .public.urls import public_patterns
from .webhooks import views as webhook_views

app_name = "site"

urlpatterns = [
    path("engagement/", views.engagement, name="engagement"),
    path("engagement/carte-de-chaleur/", views.engagement_heat_map, name="engagement_heat_map"),
    path("engagement/services/<int:pk>/utilite/", views.service_sheet, name="service_sheet"),
    path("carte/", map_views.link_map, name="map"),
    path("carte/tableaux/", map_views.map_tables, name="map_tables"),
    path("carte/matrices/", map_views.matrices, name="matrix"),
    path("carte/orphelins/", map_views.orphans, name="orphans"),
    path("carte/export.graphml", map_views.graph_graphml, name="graph_graphml"),
    path("carte/liens.csv", map_views.graph_edges_csv, name="graph_edges_csv"),
    path("carte/noeuds.csv", map_views.graph_nodes_csv, name="graph_nodes_csv"),
    # Webhooks: the lead's endpoints and their delivery log.
    path("webhooks/", webhook_views.webhook_list, name="webhooks"),
    path("webhooks/nouveau/", webhook_views.webhook_create, name="webhook_create"),
    path("webhooks/<int:pk>/", webhook_views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:pk>/modifier/", webhook_views.webhook_update, name="webhook_update"),
    path("webhooks/<int:pk>/secret/", webhook_views.webhook_secret, name="webhook_secret"),
    path("webhooks/livraisons/<int:pk>/renvoyer/", webhook_views.webhook_resend, name="webhook_resend"),
    # Issue 15: the public face (no sign-in) and personal data (GDPR).
    *public_patterns,
    *gdpr_patterns,
]

# The home page keeps its short, namespace-free name (LOGIN_REDIRECT_URL).
home_patterns = [path("", views.home, name="home")]
