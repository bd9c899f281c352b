"""Personal API tokens: create (the secret is returned once, only its
SHA-256 is stored), find by secret, mark used, revoke."""

import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

SECRET_PREFIX = "orch_"  # noqa: S105 - a marker, not a secret
# last_used_at is written at most once a minute per token.
USE_RESOLUTION = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: AbstractBaseUser, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token and its secret (to show once; never stored)."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, scope=ApiToken.Scope(scope), key_hash=hash_secret(secret), prefix=secret[:12]
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The live token with this secret, if any; its use is recorded."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
