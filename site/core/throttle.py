"""Slow down guessing (join codes, passwords) with counters in the Django cache.

The cache is shared by every worker in production (Redis), so the limit holds across processes.
A key counts failures in a fixed window; once it reaches the limit every attempt is refused until
the window ends, and the message says how many minutes are left.

Who is guessing: a whole school often reaches us from one NAT address, and behind the reverse proxy
every request comes from the proxy. So:

* `client_ip` is the real client address: the proxy's X-Forwarded-For is believed only when the
  request comes from a proxy listed in settings.TRUSTED_PROXIES (addresses or networks); anyone
  else could write any address there;
* join codes are limited per browser (10 wrong codes, the session), per address (many more, so a
  class of 45 mistyping behind one NAT address still gets in, while a guesser who drops cookies
  is stopped), and per class code (how many accounts one code makes in a window, so a leaked
  code cannot make hundreds);
* wrong passwords lock a username from that client address only, never for everyone (student
  usernames are predictable: anyone could otherwise lock a child out).
"""

import ipaddress
import math
import secrets
import time

from django.conf import settings
from django.core.cache import cache

JOIN_LIMIT = 10  # wrong codes per window from one browser
JOIN_ADDRESS_LIMIT = 60  # wrong codes per window from one address (a school behind one NAT address)
JOIN_CODE_LIMIT = 100  # accounts made with one class code per window (a class is at most 80)
LOGIN_LIMIT = 8  # wrong passwords per window for one username from one address
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


def blocked_minutes(throttles):
    """The longest wait any of the throttles asks for (0: go ahead)."""
    return max((throttle.blocked_minutes() for throttle in throttles), default=0)


# --- who is asking --------------------------------------------------------------------------------


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def trusted_proxies():
    networks = []
    for entry in getattr(settings, "TRUSTED_PROXIES", ()) or ():
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_ip(request):
    """The client's address. REMOTE_ADDR, unless it is a trusted proxy: then the last address in
    X-Forwarded-For that is not itself a trusted proxy (each proxy appends the address it saw, so
    the addresses before the first untrusted hop may be forged and are not read)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_proxies()
    if not _is_trusted(_address(remote), networks):
        return remote or "unknown"
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _address(hop)
        if address is None:
            break  # garbage in the header: trust nothing before it
        if not _is_trusted(address, networks):
            return str(address)
    return remote


def browser_id(request):
    """An id for this browser, kept in its session (a guesser who drops cookies is a new browser,
    and meets the per-address limit instead)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    ident = session.get("throttle_browser")
    if not ident:
        ident = session["throttle_browser"] = secrets.token_hex(8)
    return ident


# --- the throttles ----------------------------------------------------------------------------------


def join_throttles(request):
    """Wrong join codes: per browser and per address (both count every wrong code)."""
    throttles = [Throttle("join-ip", client_ip(request), JOIN_ADDRESS_LIMIT)]
    browser = browser_id(request)
    if browser:
        throttles.insert(0, Throttle("join-browser", browser, JOIN_LIMIT))
    return throttles


def join_code_throttle(code):
    """Accounts made with one class code (count one per account)."""
    return Throttle("join-code", (code or "").upper()[:20], JOIN_CODE_LIMIT)


def login_throttle(username, address):
    """Wrong passwords for one username from one client address."""
    name = (username or "").strip().lower()[:150]
    return Throttle("login", f"{name}|{address or 'unknown'}", LOGIN_LIMIT)
