"""A Redis cache that degrades to "always a miss" when Redis is unreachable.

The cache is an accelerator, never a source of truth: with Redis stopped,
every page must still render. Errors are logged once per outage and, for a
few seconds after a failure, Redis is not even tried (a circuit breaker), so
a stopped Redis costs no socket timeout per request.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("orchestre.cache")

RETRY_AFTER_SECONDS = 10.0


class ResilientRedisCache(RedisCache):
    _down_until: float = 0.0

    def _call(self, method: str, default: Any, *args, **kwargs) -> Any:
        from redis.exceptions import RedisError

        if time.monotonic() < self._down_until:
            return default
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            if not self._down_until:
                log.error("cache unavailable (%s); serving without cache", exc.__class__.__name__)
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            return default
        if self._down_until:
            log.warning("cache available again")
            self._down_until = 0.0
        return result

    def ping(self) -> bool:
        """True when Redis answers; raises otherwise (for /health/)."""
        return bool(self._cache.get_client(write=True).ping())

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", delta, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
