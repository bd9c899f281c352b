"""What the OpenAPI schema cannot guess: the type of the pages' filters
that run a method (their values are ids, or a domain's slug)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.forms import DecisionFilter
from programmes.filters import ProjectFilter

_TYPES = {
    ProjectFilter: {"domain": OpenApiTypes.STR, "service": OpenApiTypes.INT, "partner": OpenApiTypes.INT},
    DecisionFilter: {"domain": OpenApiTypes.INT, "official": OpenApiTypes.INT},
}

for filterset, types in _TYPES.items():
    for name, kind in types.items():
        extend_schema_field(kind)(filterset.base_filters[name])
