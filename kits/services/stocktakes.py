"""Stocktakes (盘点): scanning a room's asset tags and the discrepancy report."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from makerroom.core import audit

from .. import policy
from ..models import (
    Asset,
    AssetStatus,
    Stocktake,
    StocktakeScan,
)


def start_stocktake(room, *, user):
    policy.stocktakes.check_in(user, "add", room.school_id)
    stocktake = Stocktake.objects.create(room=room, started_by=user)
    audit.record(stocktake, "kits.create", user, None, {"room": str(room)})
    return stocktake


def scan(stocktake, tag, *, user):
    policy.stocktakes.check_in(user, "change", stocktake.room.school_id)
    if stocktake.finished_at:
        raise ValidationError({"tag": _("This stocktake is finished.")})
    tag = (tag or "").strip().upper()
    if not tag:
        raise ValidationError({"tag": _("Scan or type an asset tag.")})
    # A QR label holds the asset's URL; accept it as well as the bare tag.
    tag = tag.rstrip("/").rsplit("/", 1)[-1]
    StocktakeScan.objects.get_or_create(stocktake=stocktake, tag=tag)
    return tag


def finish_stocktake(stocktake, *, user):
    policy.stocktakes.check_in(user, "change", stocktake.room.school_id)
    Stocktake.objects.filter(pk=stocktake.pk, finished_at__isnull=True).update(finished_at=timezone.now())
    stocktake.refresh_from_db()
    report = discrepancy_report(stocktake)
    audit.record(
        stocktake,
        "kits.finish",
        user,
        None,
        {
            "missing": [a.tag for a in report["missing"]],
            "unexpected": [t for t, _a, _r in report["unexpected"]],
        },
    )
    return report


def discrepancy_report(stocktake):
    """What should be in the room but was not scanned, and what was scanned but should not be there."""
    scanned = set(stocktake.scans.values_list("tag", flat=True))
    expected = list(
        Asset.objects.filter(
            room=stocktake.room, status__in=[AssetStatus.IN_STOCK, AssetStatus.REPAIR]
        ).select_related("tool_type")
    )
    expected_tags = {a.tag for a in expected}
    found = {
        a.tag: a
        for a in Asset.objects.filter(tag__in=scanned - expected_tags).select_related("room", "tool_type")
    }
    unexpected = []
    for tag in sorted(scanned - expected_tags):
        asset = found.get(tag)
        if asset is None:
            reason = _("unknown tag")
        elif asset.room_id != stocktake.room_id:
            reason = _("belongs to %(room)s") % {"room": asset.room}
        else:
            reason = _("recorded as %(status)s") % {"status": asset.get_status_display()}
        unexpected.append((tag, asset, reason))
    return {
        "expected": len(expected),
        "found": [a for a in expected if a.tag in scanned],
        "missing": [a for a in expected if a.tag not in scanned],
        "unexpected": unexpected,
        "on_loan": list(
            Asset.objects.filter(room=stocktake.room, status=AssetStatus.ON_LOAN).select_related("tool_type")
        ),
    }
