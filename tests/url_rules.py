"""Every URL's access rule, gathered from each app's ``access_rules.py``."""

from tests.access import Rule
from tests.base.access_rules import RULES as BASE
from tests.governance.access_rules import RULES as GOVERNANCE
from tests.partners.access_rules import RULES as PARTNERS
from tests.programmes.access_rules import RULES as PROGRAMMES
from tests.site.access_rules import RULES as SITE
from tests.site.api_access_rules import RULES as API

RULES: dict[str, Rule] = {**BASE, **PARTNERS, **PROGRAMMES, **GOVERNANCE, **SITE, **API}
