from django.urls import path

from . import views

# Mounted in the ``site`` namespace.
gdpr_patterns = [
    path("rgpd/", views.register, name="gdpr_register"),
    path("rgpd/revue/", views.review, name="gdpr_review"),
    path("rgpd/personnes/<str:kind>/<int:pk>/", views.person, name="gdpr_person"),
    path("rgpd/personnes/<str:kind>/<int:pk>/export.json", views.export, name="gdpr_export"),
    path("rgpd/personnes/<str:kind>/<int:pk>/effacer/", views.erase, name="gdpr_erase"),
    path("rgpd/contacts/<int:pk>/confirmer/", views.confirm, name="gdpr_confirm"),
]
