"""Every URL pattern of the project, flattened out of `makerroom.urls`.

A route is one pattern: its full name ("wagtailsnippets_kits_grant:edit"), its pattern text, the
names of its parameters and its view. Unnamed patterns (catch-alls, redirects) get the pattern text
as their name, prefixed "unnamed:", so they need an expectation like any other.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>|\(\?P<(?P<re_name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str  # namespaced url name, or "unnamed:<pattern>"
    pattern: str  # the full pattern text, prefixes joined
    params: tuple  # parameter names, in order
    view_module: str
    view_name: str
    url_name: str = ""  # the bare url_name (without namespace), "" when unnamed
    namespace: str = ""

    @property
    def id(self):
        return self.name


def _callback_names(callback):
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    target = view_class or callback
    return getattr(target, "__module__", ""), getattr(target, "__qualname__", getattr(target, "__name__", ""))


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            params = tuple(m.group("name") or m.group("re_name") for m in PARAM.finditer(pattern))
            module, qualname = _callback_names(entry.callback)
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                name = f"unnamed:{pattern}"
            yield Route(name, pattern, params, module, qualname, entry.name or "", namespace)


@cache
def all_routes():
    """Every route once; a name used by two patterns (other parameters) keeps both, told apart by
    their parameters ("wagtailsettings:edit[pk]")."""
    routes = list(_walk(get_resolver().url_patterns))
    seen = {}
    for route in routes:
        seen.setdefault(route.name, []).append(route)
    unique = []
    for name, group in seen.items():
        if len(group) == 1:
            unique.append(group[0])
            continue
        for route in group:
            suffix = ",".join(route.params) or "-"
            unique.append(
                Route(
                    f"{name}[{suffix}]",
                    route.pattern,
                    route.params,
                    route.view_module,
                    route.view_name,
                    route.url_name,
                    route.namespace,
                )
            )
    return unique
