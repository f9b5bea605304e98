"""Who changed what, when, before and after: kept in Wagtail's log, shown in the admin history.

Services call `record`. Who may read the site-wide history is makerroom.core.reports (superusers
and city coordinators); everyone else reads the history of the rows their policy lets them see.
"""

from datetime import date, datetime, time
from decimal import Decimal

from wagtail.log_actions import log


def jsonable(value):
    if isinstance(value, Decimal | date | datetime | time):
        return str(value)
    return value


def snapshot(instance, fields):
    return {name: jsonable(getattr(instance, name, None)) for name in fields}


def changes_between(before, after):
    if before is None:
        return {k: [None, v] for k, v in after.items()}
    return {
        key: [before.get(key), after.get(key)]
        for key in set(before) | set(after)
        if before.get(key) != after.get(key)
    }


def record(instance, action, user, before=None, after=None, **data):
    """Log `action` on `instance` with the fields that changed (before None: a new row)."""
    log(
        instance=instance,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        data={"changes": changes_between(before, after or {}), **data},
    )
