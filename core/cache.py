"""A Redis cache that degrades to "no cache" while Redis is unreachable.

Django's RedisCache raises on every call when Redis is down, so a cached page, a facet count or a
thumbnail address turns into a 500. Here a connection error is logged (once per outage) and answered
as a miss; after a failure Redis is left alone for `RETRY_SECONDS`, so a dead server costs one
connection attempt per process every few seconds, not one per cache call. `ping()` raises, for the
readiness check.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class FallbackRedisCache(RedisCache):
    RETRY_SECONDS = 5.0

    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A host that does not answer must not hold a request for the default minutes-long timeout.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, params)
        self._down_until = 0.0

    def _call(self, operation: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except UNREACHABLE:
            if not self._down_until:
                logger.warning("Cache unreachable; serving without it", exc_info=True)
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            return default
        finally:
            if self._down_until and time.monotonic() >= self._down_until:
                self._down_until = 0.0

    def ping(self) -> None:
        """Raises when Redis does not answer (readiness), whatever the fallback state."""
        self._cache.get_client(write=True).ping()

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
        # A missing key raises ValueError in Django; an unreachable one behaves the same.
        result = self._call("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
