"""Governance events, sent on commit by ``governance.services``
(``smartcity.base.events.send_on_commit``). Listeners live in higher layers.

- ``meeting_held``: ``meeting``
- ``decision_recorded``: ``decision``
- ``action_closed``: ``action``
"""

from django.dispatch import Signal

meeting_held = Signal()
decision_recorded = Signal()
action_closed = Signal()
