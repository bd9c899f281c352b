"""The portfolio's events, sent on commit by ``programmes.services``
(``smartcity.base.events.send_on_commit``). Listeners live in higher layers.

- ``project_created``, ``project_updated``: ``project``
- ``status_reported``: ``report`` (a StatusReport; ``report.project``)
"""

from django.dispatch import Signal

project_created = Signal()
project_updated = Signal()
status_reported = Signal()
