"""The places on the organisation's pages that higher layers fill.

The organisation knows no project and no committee; programmes and
governance register here, from their ``AppConfig.ready()``, what a service's
or a partner's page shows about projects and committees, and the columns and
filters they add to the lists (see ``smartcity.base.extensions``).
"""

from smartcity.base.extensions import ListExtension, PageSections

SERVICE_PAGE = PageSections("service")
PARTNER_PAGE = PageSections("partner")
SERVICE_LIST = ListExtension()
PARTNER_LIST = ListExtension()
