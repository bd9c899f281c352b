"""The project's URLs plus the trivial view of the benchmark (signed-in, no
query of its own), so that each page is measured against the cost of the
stack itself: middleware, session, user. Only benchmarks/settings.py uses it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from smartcity.urls import handler403, handler500, urlpatterns  # noqa: F401


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/trivial/", trivial, name="bench_trivial"), *urlpatterns]
