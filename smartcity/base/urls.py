"""Accounts (sign-in, password, second factor), health, language, imports."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import document_views, import_views, sso, token_views, two_factor, views

import_patterns = [
    path("<int:pk>/", import_views.job_detail, name="job_detail"),
    path("<int:pk>/confirmer/", import_views.job_confirm, name="job_confirm"),
    path("modele/<slug:kind>/", import_views.template_download, name="template"),
]

document_patterns = [
    path("<slug:kind>/<int:pk>/ajouter/", document_views.document_add, name="add"),
    path("<int:pk>/telecharger/", document_views.document_download, name="download"),
    path("<int:pk>/archiver/", document_views.document_archive, name="archive"),
    path("<int:pk>/supprimer/", document_views.document_delete, name="delete"),
]

urlpatterns = [
    path("health/", views.health, name="health"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("compte/double-authentification/", two_factor.otp_setup, name="otp_setup"),
    path("compte/double-authentification/code/", two_factor.otp_verify, name="otp_verify"),
    path("compte/double-authentification/retrait/", two_factor.otp_disable, name="otp_disable"),
    path(
        "compte/password_reset/",
        login_not_required(views.RateLimitedPasswordResetView.as_view()),
        name="password_reset",
    ),
    path("compte/jetons-api/", token_views.api_tokens, name="api_tokens"),
    path("compte/jetons-api/<int:pk>/revoquer/", token_views.api_token_revoke_view, name="api_token_revoke"),
    path("compte/", include("django.contrib.auth.urls")),
    path("compte/sso/", include(sso.urlpatterns)),
    path("imports/", include((import_patterns, "imports"))),
    path("documents/", include((document_patterns, "documents"))),
]
