"""Reports: a school's grant dashboard and the city report, aggregated in the database."""

from decimal import Decimal

from django.db.models import F, Q, Sum
from makerroom.core.models import School

from ..models import (
    CapApplies,
    Grant,
    GrantStatus,
    Purchase,
    Stock,
)


def grant_dashboard(school):
    """A school's grants and where the money went, by category: a fixed number of queries."""
    grants = list(
        Grant.objects.filter(room__school=school)
        .select_related("programme", "room")
        .order_by("-starts_on", "pk")
    )
    by_category = list(
        Purchase.objects.filter(grant__room__school=school)
        .values("tool_type__category__name")
        .annotate(subsidy=Sum("subsidy"), cost=Sum("total_cost"))
        .order_by("-subsidy")
    )
    totals = Grant.objects.filter(
        room__school=school, status__in=[GrantStatus.APPROVED, GrantStatus.CLOSED]
    ).aggregate(approved=Sum("approved_amount"), charged=Sum("charged"))
    approved = totals["approved"] or Decimal("0.00")
    charged = totals["charged"] or Decimal("0.00")
    low_stock = list(
        Stock.objects.filter(
            room__school=school, low_stock_threshold__gt=0, quantity__lte=F("low_stock_threshold")
        )
        .select_related("tool_type", "room")
        .order_by("room__name", "tool_type__slug")
    )
    return {
        "school": school,
        "grants": grants,
        "school_caps": school_caps(grants),
        "by_category": [
            {"category": row["tool_type__category__name"], "subsidy": row["subsidy"], "cost": row["cost"]}
            for row in by_category
        ],
        "approved": approved,
        "charged": charged,
        "left": approved - charged,
        "low_stock": low_stock,
    }


MAKER_ROOM_PROGRAMME = "maker-room"


def city_report(programme_slug=MAKER_ROOM_PROGRAMME):
    """Every school's grants of one programme (by default 创客实践室) against its cap, aggregated in the
    database (one query). Other programmes have other caps, so they are not added in."""
    active = Q(
        rooms__grants__status__in=[GrantStatus.APPROVED, GrantStatus.CLOSED],
        rooms__grants__programme__slug=programme_slug,
    )
    return (
        School.objects.annotate(
            approved=Sum("rooms__grants__approved_amount", filter=active),
            charged=Sum("rooms__grants__charged", filter=active),
        )
        .order_by("code")
        .values("pk", "code", "name", "district", "stage", "approved", "charged")
    )


def school_caps(grants):
    """For each programme capped per school (创客实践室): its cap, what is approved to the school and
    what the cap still leaves — from the grants already loaded, so no query more."""
    caps = {}
    for grant in grants:
        programme = grant.programme
        if programme.cap_applies != CapApplies.PER_SCHOOL:
            continue
        row = caps.setdefault(
            programme.pk, {"programme": programme, "cap": programme.cap, "approved": Decimal("0.00")}
        )
        if grant.status in (GrantStatus.APPROVED, GrantStatus.CLOSED):
            row["approved"] += grant.approved_amount
    for row in caps.values():
        row["left"] = row["cap"] - row["approved"]
    return list(caps.values())
