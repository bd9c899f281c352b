from django.urls import path

from . import import_views

app_name = "imports"

urlpatterns = [
    path("<int:pk>/", import_views.job_detail, name="job_detail"),
    path("<int:pk>/confirmer/", import_views.job_confirm, name="job_confirm"),
    path("modele/<slug:kind>/", import_views.template_download, name="template"),
]
