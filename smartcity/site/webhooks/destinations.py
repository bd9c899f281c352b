"""Where a webhook may be sent: a public address over HTTP(S). Private,
loopback, link-local and reserved addresses are refused (a webhook must not
become a way to reach the city's internal network from the application
server), unless ``ORCHESTRE_WEBHOOK_ALLOW_PRIVATE`` is set (tests, or an
intranet receiver the operator vouches for)."""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class UnsafeDestination(ValueError):
    pass


def _refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_destination(url: str, *, resolve: bool = True) -> None:
    """Raise UnsafeDestination unless ``url`` is http(s) to public addresses
    only. ``resolve=False`` checks literal addresses without asking DNS."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination(_("Only http:// and https:// addresses are accepted."))
    if settings.ORCHESTRE_WEBHOOK_ALLOW_PRIVATE:
        return
    host = parts.hostname
    if host == "localhost" or host.endswith(".localhost"):
        raise UnsafeDestination(_("A private or local address is refused."))
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError) as exc:
            raise UnsafeDestination(_("The host name could not be resolved.")) from exc
        addresses = [info[4][0] for info in infos]
    if any(_refused_address(address) for address in addresses):
        raise UnsafeDestination(_("A private or local address is refused."))


def validate_destination(url: str) -> None:
    """Form validator: literal private addresses are refused at once; names
    are resolved at each delivery (a name may move)."""
    try:
        check_destination(url, resolve=False)
    except UnsafeDestination as exc:
        raise ValidationError(str(exc), code="unsafe") from exc
