"""``/api/v1/``: the endpoints, the OpenAPI schema and its browsable docs
(Swagger UI served from this site: the CSP allows no other origin)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("services", views.ServiceViewSet, basename="service")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("committees", views.CommitteeViewSet, basename="committee")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("actions", views.ActionViewSet, basename="action")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]

# The API answers an anonymous request with 401/403 itself (its own
# authentication), not with the sign-in redirect of LoginRequiredMiddleware.
for pattern in urlpatterns:
    pattern.callback.login_required = False
