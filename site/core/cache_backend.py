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

`FragmentCache` adds a bounded copy in the process's memory in front of Redis, for keys whose value
never changes (fragments keyed by the page's revision and the publish generation).
"""

import logging
import sys
import threading
import time
from collections import OrderedDict

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient  # pyright: ignore[reportMissingImports]
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

logger = logging.getLogger("makerroom.cache")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new redis.Redis (and its table of response callbacks) for every
    operation; one per connection pool serves them all (redis.Redis is thread-safe)."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # with replicas, a read picks its server at random
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.fallback_prefixes = tuple(options.pop("FALLBACK_PREFIXES", ("throttle:",)))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
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


class FragmentCache(ResilientRedisCache):
    """Redis, with the values this process read or wrote last also kept in its memory (at most
    LOCAL_BYTES, default 32 MB, least recently used first out; each at most its timeout).

    Only for keys whose value never changes once written: the rendered parts of a lesson, keyed by
    the page's revision, the language and the publish generation. A class of 45 opening the same
    lesson then costs Redis nothing after each worker's first copy. A key that is deleted or
    overwritten in Redis by another process may still be answered from this process's copy, so
    nothing that is updated in place belongs here."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.local_bytes = int(options.pop("LOCAL_BYTES", 32 * 1024 * 1024))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._local = OrderedDict()  # full key -> (expires at, size, value)
        self._local_size = 0
        self._lock = threading.Lock()

    def _keep(self, key, value, timeout):
        seconds = self.get_backend_timeout(timeout)
        size = sys.getsizeof(value)
        if seconds == 0 or size > self.local_bytes // 4:
            return
        expires = float("inf") if seconds is None else time.monotonic() + seconds
        with self._lock:
            self._drop(key)
            self._local[key] = (expires, size, value)
            self._local_size += size
            while self._local_size > self.local_bytes:
                self._drop(next(iter(self._local)))

    def _drop(self, key):
        entry = self._local.pop(key, None)
        if entry is not None:
            self._local_size -= entry[1]

    def get(self, key, default=None, version=None):
        full = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._local.get(full)
            if entry is not None and entry[0] > time.monotonic():
                self._local.move_to_end(full)
                return entry[2]
            self._drop(full)
        sentinel = object()
        value = super().get(key, sentinel, version)
        if value is sentinel:
            return default
        self._keep(full, value, DEFAULT_TIMEOUT)  # the value is the same for as long as it is kept
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        super().set(key, value, timeout, version)
        self._keep(self.make_and_validate_key(key, version=version), value, timeout)

    def delete(self, key, version=None):
        with self._lock:
            self._drop(self.make_and_validate_key(key, version=version))
        return super().delete(key, version)

    def clear(self):
        with self._lock:
            self._local.clear()
            self._local_size = 0
        return super().clear()
