"""Site views of kits (/lab/): the page an asset's QR label opens, and the kit reservation
calendar teachers book from."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from . import policy, services
from .forms import ReservationForm
from .models import Asset, MakerRoom


@login_required
def asset(request, tag):
    """What a phone shows after scanning a label: the tool, where it belongs and how to use it safely."""
    item = get_object_or_404(
        Asset.objects.select_related("tool_type__category", "room__school"), tag=tag.upper()
    )
    if not policy.assets.may_view_label_page(request.user, item):
        raise Http404
    staff = request.user.has_perm("kits.view_asset")
    loans = item.loans.select_related("borrower").order_by("-lent_at")[:10] if staff else []
    return render(request, "kits/asset.html", {"asset": item, "staff": staff, "loans": loans})


@login_required
def reservations(request):
    """A week of kit availability per school period, and the booking form."""
    if not request.user.has_perm("kits.add_reservation"):
        raise PermissionDenied
    rooms = policy.reservations.bookable_rooms(request.user, MakerRoom.objects.select_related("school"))
    room_id = request.POST.get("room") or request.GET.get("room") or ""
    room = (rooms.filter(pk=room_id).first() if room_id.isdigit() else None) or rooms.first()
    if room is None:
        if room_id:
            raise Http404  # a room asked for by id that the user may not book
        # The header links here for every teacher: say why there is nothing to book.
        return render(request, "kits/no_room.html")
    start = parse_date(request.GET.get("week") or "") or timezone.localdate()
    start -= timedelta(days=start.weekday())
    days = [start + timedelta(days=n) for n in range(5)]  # Monday to Friday
    form = ReservationForm(request.POST or None, rooms=rooms, initial={"room": room})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.reserve(
                room=data["room"],
                teacher=request.user,
                class_name=data["class_name"],
                day=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                kit_count=data["kit_count"],
                purpose=data["purpose"],
                user=request.user,
            )
        except ValidationError as error:
            for field, msgs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
            return redirect(f"{request.path}?room={room.pk}&week={booking.date:%Y-%m-%d}")
    total, table = services.availability(room, days)
    periods = [
        {"start": start_time, "end": end_time, "cells": [table[day][index] for day in days]}
        for index, (start_time, end_time) in enumerate(services.PERIODS)
    ]
    return render(
        request,
        "kits/reservations.html",
        {
            "room": room,
            "rooms": rooms,
            "days": days,
            "periods": periods,
            "total": total,
            "form": form,
            "previous_week": start - timedelta(days=7),
            "next_week": start + timedelta(days=7),
        },
    )
