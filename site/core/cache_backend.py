"""A Redis cache that degrades instead of failing: Redis down must not take the site down.

`ResilientRedisCache` is Django's RedisCache with every operation guarded. When Redis cannot be
reached (connection refused, timeout, …) the error is logged once per outage and the operation
answers as an empty cache would: reads miss, writes are dropped, `add` stores nothing. Pages are
then rendered fresh (the page cache stores nothing), memoized values are computed each time.

Throttles fail safe: keys starting with one of FALLBACK_PREFIXES (default "throttle:") go to a
per-process memory cache while Redis is away, so guessing passwords or join codes stays limited
(per process instead of across all workers) and nobody is locked out by the outage itself.

After an error Redis is not asked again for RETRY_SECONDS (default 5), so a dead server costs one
failed connection every few seconds per process, not one per cache call.

OPTIONS: everything RedisCache takes (socket_connect_timeout and socket_timeout are worth setting,
production does), plus RETRY_SECONDS and FALLBACK_PREFIXES.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache  # pyright: ignore[reportMissingImports]
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger("makerroom.cache")


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.fallback_prefixes = tuple(options.pop("FALLBACK_PREFIXES", ("throttle:",)))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._down_until = 0.0
        self._fallback = LocMemCache(
            f"resilient-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)}
        )

    # --- the guard ------------------------------------------------------------------------------

    @property
    def is_down(self):
        return time.monotonic() < self._down_until

    def _failed(self, error):
        if not self.is_down:
            logger.warning("Cache unavailable, serving without it for %ss: %s", self.retry_seconds, error)
        self._down_until = time.monotonic() + self.retry_seconds

    def _uses_fallback(self, key):
        return str(key).startswith(self.fallback_prefixes)

    def _call(self, name, key, degraded, *args, **kwargs):
        """Run RedisCache.<name>; when Redis is away use the fallback (throttle keys) or `degraded`."""
        if not self.is_down:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except (RedisError, RedisConnectionError, OSError) as error:
                self._failed(error)
        if key is not None and self._uses_fallback(key):
            return getattr(self._fallback, name)(*args, **kwargs)
        if isinstance(degraded, Exception):
            raise degraded
        return degraded

    # --- single keys ----------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, None, key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, False, key, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call(
            "incr", key, ValueError(f"Key '{key}' not found (cache unavailable)"), key, delta, version
        )

    # decr and get_or_set are BaseCache's, built on incr, get and add above.

    # --- several keys ---------------------------------------------------------------------------

    def _split(self, keys):
        keys = list(keys)
        return keys and all(self._uses_fallback(k) for k in keys)

    def get_many(self, keys, version=None):
        keys = list(keys)
        return self._call("get_many", keys[0] if self._split(keys) else None, {}, keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        first = next(iter(data), None) if self._split(data) else None
        return self._call("set_many", first, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", keys[0] if self._split(keys) else None, None, keys, version)

    def clear(self):
        self._fallback.clear()
        return self._call("clear", None, False)
