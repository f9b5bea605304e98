"""Who changed what, when, before and after: kept in Wagtail's log, shown in the admin history.

Services call `record`. Who may read the site-wide history is makerroom.core.reports (superusers
and city coordinators); everyone else reads the history of the rows their policy lets them see.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.log_actions import get_active_log_context, log, registry


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


def record_many(entries, user):
    """`record` for many rows at once, [(instance, action, before, after)]: the same log entries,
    inserted in bulk (one timestamp for all), for services that change rows in batches."""
    user = user if user is not None and user.is_authenticated else None
    registry.scan_for_actions()
    context = get_active_log_context()
    now = timezone.now()
    by_model = {}
    for instance, action, before, after in entries:
        model = registry.get_log_model_for_instance(instance)
        if model is None:
            continue
        if not any(f.name == "object_id" for f in model._meta.fields):  # not a ModelLogEntry kind
            record(instance, action, user, before, after)
            continue
        by_model.setdefault(model, []).append(
            model(
                content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
                label=model.objects.get_instance_title(instance),
                action=action,
                timestamp=now,
                data={"changes": changes_between(before, after or {})},
                user=user or context.user,
                uuid=context.uuid,
                object_id=str(instance.pk),
            )
        )
    for model, rows in by_model.items():
        model.objects.bulk_create(rows, batch_size=500)
