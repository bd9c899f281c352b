from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import two_factor, views

handler403 = "smartcity.views.permission_denied"
handler500 = "smartcity.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("compte/double-authentification/", two_factor.otp_setup, name="otp_setup"),
    path("compte/double-authentification/code/", two_factor.otp_verify, name="otp_verify"),
    path("compte/double-authentification/retrait/", two_factor.otp_disable, name="otp_disable"),
    path("compte/", include("django.contrib.auth.urls")),
    path("", include("programmes.urls")),
    path("", include("partners.urls")),
    path("", include("governance.urls")),
    path("imports/", include("smartcity.import_urls")),
    path("admin/", admin.site.urls),
]
