"""How a delivery is signed, and how a receiver checks it.

The signature is HMAC-SHA256, keyed with the endpoint's secret, over the
timestamp, a dot and the raw body: ``sha256=<hex>`` in
``X-Orchestre-Signature``, the timestamp (Unix seconds) in
``X-Orchestre-Timestamp``. A receiver recomputes it over the bytes it
received, compares in constant time and refuses a timestamp older (or
newer) than its replay window (``verify``; README, "Webhooks").
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Orchestre-Signature"
TIMESTAMP_HEADER = "X-Orchestre-Timestamp"
EVENT_HEADER = "X-Orchestre-Event"
DELIVERY_HEADER = "X-Orchestre-Delivery"
REPLAY_WINDOW = 300  # seconds


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None, window: int = REPLAY_WINDOW
) -> bool:
    """True when ``signature`` signs ``body`` at ``timestamp`` with ``secret``
    and the timestamp is within ``window`` seconds of ``now``."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent_at) > window:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature or "")
