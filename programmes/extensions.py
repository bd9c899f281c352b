"""The places on programmes' pages that higher layers fill (governance adds
the committees a project went through). See ``smartcity.base.extensions``."""

from smartcity.base.extensions import PageSections

PROJECT_PAGE = PageSections("project")
