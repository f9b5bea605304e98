"""Reservations: teachers book kits of a room for a class session, never double-booking."""

from collections import defaultdict
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import audit

from .. import policy
from ..models import (
    Kit,
    KitStatus,
    MakerRoom,
    Reservation,
)
from .money import field_error, parse_quantity


def usable_kit_count(room):
    return Kit.objects.filter(room=room).exclude(status=KitStatus.RETIRED).count()


def peak_booked(room, day, starts_at, ends_at, exclude_pk=None):
    """The most kits booked at any moment of [starts_at, ends_at) on that day."""
    overlapping = Reservation.objects.filter(
        room=room, date=day, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    events = []
    for start, end, count in overlapping.values_list("starts_at", "ends_at", "kit_count"):
        events += [(max(start, starts_at), count), (min(end, ends_at), -count)]
    peak = booked = 0
    for _moment, change in sorted(events, key=lambda e: (e[0], e[1])):  # ends before starts at a tie
        booked += change
        peak = max(peak, booked)
    return peak


def reserve(*, room, teacher, class_name, day, starts_at, ends_at, kit_count, user, purpose=""):
    """Book kits of a room for a class session; refused when that would double-book kits."""
    errors = {}
    if not (class_name or "").strip():
        errors["class_name"] = _("Enter the class.")
    if not isinstance(day, date):
        errors["date"] = _("Enter the date.")
    elif day < timezone.localdate():
        errors["date"] = _("The date is in the past.")
    if not isinstance(starts_at, time) or not isinstance(ends_at, time):
        errors["starts_at"] = _("Enter the start and end time.")
    elif ends_at <= starts_at:
        errors["ends_at"] = _("The end time must be after the start time.")
    try:
        kit_count = parse_quantity(kit_count, "kit_count", maximum=1000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if not policy.reservations.may_book(user, room, teacher):
        raise PermissionDenied(_("You can only book kits of your own school."))
    with transaction.atomic():
        room = MakerRoom.objects.select_for_update().get(pk=room.pk)  # one booking at a time per room
        free = usable_kit_count(room) - peak_booked(room, day, starts_at, ends_at)
        if kit_count > free:
            raise field_error(
                "kit_count",
                _("Only %(free)s kits are free from %(start)s to %(end)s on %(day)s.")
                % {
                    "free": max(free, 0),
                    "start": f"{starts_at:%H:%M}",
                    "end": f"{ends_at:%H:%M}",
                    "day": day,
                },
                "double_booking",
            )
        reservation = Reservation.objects.create(
            room=room,
            teacher=teacher,
            class_name=class_name.strip(),
            date=day,
            starts_at=starts_at,
            ends_at=ends_at,
            kit_count=kit_count,
            purpose=purpose,
        )
        audit.record(
            reservation, "kits.create", user, None, {"kits": kit_count, "class": class_name, "date": str(day)}
        )
    return reservation


# School periods of a Shenzhen school day, for the availability calendar.
PERIODS = [
    (time(8, 0), time(8, 40)),
    (time(8, 50), time(9, 30)),
    (time(10, 0), time(10, 40)),
    (time(10, 50), time(11, 30)),
    (time(14, 0), time(14, 40)),
    (time(14, 50), time(15, 30)),
    (time(15, 40), time(16, 20)),
    (time(16, 30), time(17, 30)),
]


def availability(room, days):
    """{day: [(start, end, free kits, [reservations])]} for the calendar, in two queries."""
    total = usable_kit_count(room)
    by_day = defaultdict(list)
    for reservation in Reservation.objects.filter(room=room, date__in=days).select_related("teacher"):
        by_day[reservation.date].append(reservation)
    table = {}
    for day in days:
        rows = []
        for start, end in PERIODS:
            here = [r for r in by_day[day] if r.starts_at < end and r.ends_at > start]
            rows.append((start, end, total - sum(r.kit_count for r in here), here))
        table[day] = rows
    return total, table
