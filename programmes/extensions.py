"""The places on programmes' pages that higher layers fill (governance adds
the committees a project went through). See ``smartcity.base.extensions``."""

from smartcity.base.extensions import PageSections

PROJECT_PAGE = PageSections("project")
# The lead's home (the portfolio overview): the site adds the openings for
# the least engaged services and the next awareness actions (issue 14).
PORTFOLIO_PAGE = PageSections("portfolio")
