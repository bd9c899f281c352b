from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def reporting(request: HttpRequest) -> dict:
    """The reporting cycle window, fetched lazily and once per request: a
    page that shows no health pays nothing, a list pays one query."""
    from .cycles import request_window

    return {"reporting_window": SimpleLazyObject(lambda: request_window(request))}
