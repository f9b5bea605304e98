"""Slow down guessing (join codes, passwords) with counters in the Django cache.

The cache is shared by every worker in production (Redis), so the limit holds across processes.
A key counts failures in a fixed window; once it reaches the limit every attempt is refused until
the window ends, and the message says how many minutes are left.
"""

import math
import time

from django.core.cache import cache

JOIN_LIMIT = 10  # wrong codes per window from one address
LOGIN_LIMIT = 8  # wrong passwords per window for one username
WINDOW_SECONDS = 15 * 60


class Throttle:
    """Two cache keys: the failure count (raised with the cache's atomic `incr`, so parallel guesses
    from several workers all count) and the end of the window (set once, by the first failure)."""

    def __init__(self, scope, ident, limit, window=WINDOW_SECONDS):
        self.key = f"throttle:{scope}:{ident}"
        self.until_key = f"{self.key}:until"
        self.limit = limit
        self.window = window

    def blocked_minutes(self):
        """0 when attempts are allowed, else the whole minutes left until they are (at least 1)."""
        values = cache.get_many([self.key, self.until_key])
        count, until = values.get(self.key, 0), values.get(self.until_key)
        left = float(until or 0) - time.time()
        if count < self.limit or left <= 0:
            return 0
        return max(1, math.ceil(left / 60))

    def fail(self):
        # `add` only writes when the key is absent: the first failure of a window starts it.
        cache.add(self.until_key, time.time() + self.window, timeout=self.window)
        if not cache.add(self.key, 1, timeout=self.window):
            try:
                cache.incr(self.key)
            except ValueError:  # the window ended between `add` and `incr`: this failure starts the next
                cache.add(self.key, 1, timeout=self.window)

    def reset(self):
        cache.delete_many([self.key, self.until_key])


def client_ip(request):
    # Behind the reverse proxy REMOTE_ADDR is the proxy; production sets the real address there
    # (e.g. gunicorn --forwarded-allow-ips), so only REMOTE_ADDR is trusted here.
    return request.META.get("REMOTE_ADDR", "unknown")


def join_throttle(request):
    return Throttle("join", client_ip(request), JOIN_LIMIT)


def login_throttle(username):
    return Throttle("login", (username or "").strip().lower()[:150], LOGIN_LIMIT)
