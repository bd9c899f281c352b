"""The URL conf: each layer's pages, mounted at the root (ARCHITECTURE.md)."""

from django.contrib import admin
from django.urls import include, path

from smartcity.site.urls import home_patterns

handler403 = "smartcity.base.views.permission_denied"
handler500 = "smartcity.base.views.server_error"

urlpatterns = [
    *home_patterns,
    path("", include("smartcity.site.urls")),
    path("", include("smartcity.base.urls")),
    path("", include("programmes.urls")),
    path("", include("partners.urls")),
    path("", include("governance.urls")),
    path("api/v1/", include("smartcity.site.api.urls")),
    path("admin/", admin.site.urls),
]
