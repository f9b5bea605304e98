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
    def __init__(self, scope, ident, limit, window=WINDOW_SECONDS):
        self.key = f"throttle:{scope}:{ident}"
        self.limit = limit
        self.window = window

    def _state(self):
        return cache.get(self.key) or {"count": 0, "until": time.time() + self.window}

    def blocked_minutes(self):
        """0 when attempts are allowed, else the whole minutes left until they are (at least 1)."""
        state = self._state()
        left = state["until"] - time.time()
        if state["count"] < self.limit or left <= 0:
            return 0
        return max(1, math.ceil(left / 60))

    def fail(self):
        state = self._state()
        if state["until"] <= time.time():
            state = {"count": 0, "until": time.time() + self.window}
        state["count"] += 1
        cache.set(self.key, state, timeout=max(1, int(state["until"] - time.time()) + 1))

    def reset(self):
        cache.delete(self.key)


def client_ip(request):
    # Behind the reverse proxy REMOTE_ADDR is the proxy; production sets the real address there
    # (e.g. gunicorn --forwarded-allow-ips), so only REMOTE_ADDR is trusted here.
    return request.META.get("REMOTE_ADDR", "unknown")


def join_throttle(request):
    return Throttle("join", client_ip(request), JOIN_LIMIT)


def login_throttle(username):
    return Throttle("login", (username or "").strip().lower()[:150], LOGIN_LIMIT)
