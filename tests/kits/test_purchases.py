import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone
from wagtail.models import ModelLogEntry

from kits import services
from kits.models import Asset, FundingProgramme, Grant, GrantStatus, Purchase, Stock

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)
INVOICES = (f"4403{n:04d}" for n in itertools.count(1))  # one invoice per line (each is charged once)


def buy(grant, user, tool, quantity=1, unit_cost="4999.00", **fields):
    return services.record_purchase(
        grant=grant,
        tool_type=tool,
        quantity=quantity,
        unit_cost=unit_cost,
        supplier=fields.pop("supplier", "深圳市华强北创客器材有限公司"),
        invoice_number=fields.pop("invoice_number") if "invoice_number" in fields else next(INVOICES),
        purchased_on=fields.pop("purchased_on", TODAY),
        user=user,
        **fields,
    )


def test_a_durable_purchase_charges_the_grant_and_makes_numbered_assets(grant, labstaff, tool, room):
    purchase = buy(grant, labstaff, tool("fdm-printer"), quantity=3)
    assert purchase.total_cost == Decimal("14997.00") and purchase.subsidy == Decimal("14997.00")
    grant.refresh_from_db()
    assert grant.charged == Decimal("14997.00") and grant.left == Decimal("985003.00")
    tags = list(Asset.objects.order_by("tag").values_list("tag", flat=True))
    assert tags == ["SZ-0012-000001", "SZ-0012-000002", "SZ-0012-000003"]
    # Numbering goes on across purchases.
    buy(grant, labstaff, tool("laser-cutter-co2"), unit_cost="26800.00")
    assert Asset.objects.get(tool_type__slug="laser-cutter-co2").tag == "SZ-0012-000004"


def test_a_consumable_purchase_goes_into_stock(grant, labstaff, tool, room):
    buy(grant, labstaff, tool("led-red"), quantity=500, unit_cost="0.10")
    buy(grant, labstaff, tool("led-red"), quantity=200, unit_cost="0.12")
    assert Stock.objects.get(room=room, tool_type__slug="led-red").quantity == 700
    assert not Asset.objects.exists()
    grant.refresh_from_db()
    assert grant.charged == Decimal("74.00")


def test_the_subsidy_is_what_is_left_and_then_purchases_are_refused(make_grant, room, labstaff, tool):
    grant = make_grant(room, amount="10000.00")
    first = buy(grant, labstaff, tool("fdm-printer"))
    second = buy(grant, labstaff, tool("fdm-printer"))
    third = buy(grant, labstaff, tool("fdm-printer"))  # only 2.00 left of 10,000
    assert (first.subsidy, second.subsidy, third.subsidy) == (
        Decimal("4999.00"),
        Decimal("4999.00"),
        Decimal("2.00"),
    )
    assert third.self_funded == Decimal("4997.00")
    with pytest.raises(ValidationError) as refused:
        buy(grant, labstaff, tool("fdm-printer"))
    assert refused.value.error_dict["grant"][0].code == "grant_exhausted"
    grant.refresh_from_db()
    assert grant.charged == grant.approved_amount == Decimal("10000.00")
    assert Purchase.objects.count() == 3


def test_subsidy_never_exceeds_cost_or_programme_share(make_grant, room, labstaff, tool):
    half = FundingProgramme.objects.create(
        slug="half", name="半额资助", cap=Decimal("500000"), max_subsidy_rate=Decimal("0.50")
    )
    grant = make_grant(room, amount="100000.00", programme=half)
    purchase = buy(grant, labstaff, tool("oscilloscope"), quantity=1, unit_cost="2680.01")
    assert purchase.subsidy == Decimal("1340.00")  # rounded down to the fen, never up


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("quantity", "0", "min_value"),
        ("quantity", "-3", "invalid"),
        ("quantity", "2.5", "invalid"),
        ("quantity", "十个", "invalid"),
        ("quantity", "100001", "max_value"),
        ("unit_cost", "-1.00", "min_value"),
        ("unit_cost", "0", "min_value"),
        ("unit_cost", "abc", "invalid"),
        ("unit_cost", "NaN", "invalid"),
        ("unit_cost", "1e3", "invalid"),
        ("unit_cost", "12.345", "invalid"),
        ("unit_cost", "1000000.01", "absurd"),  # one line above the programme's whole cap
    ],
)
def test_bad_amounts_are_refused_with_the_field_named(grant, labstaff, tool, field, value, code):
    args = {"quantity": 1, "unit_cost": "10.00", field: value}
    with pytest.raises(ValidationError) as error:
        buy(grant, labstaff, tool("multimeter") if field != "quantity" else tool("led-red"), **args)
    assert list(error.value.error_dict) == [field]
    assert error.value.error_dict[field][0].code == code
    assert not Purchase.objects.exists()
    assert Grant.objects.get(pk=grant.pk).charged == 0


def test_missing_paperwork_and_dates_are_refused(grant, labstaff, tool):
    with pytest.raises(ValidationError) as error:
        buy(
            grant,
            labstaff,
            tool("multimeter"),
            supplier=" ",
            invoice_number="",
            purchased_on=timezone.localdate() + timedelta(days=3),
        )
    assert set(error.value.message_dict) == {"supplier", "invoice_number", "purchased_on"}
    with pytest.raises(ValidationError) as error:
        buy(grant, labstaff, tool("multimeter"), purchased_on=date(2024, 1, 5))  # before the grant period
    assert "purchased_on" in error.value.message_dict


def test_only_approved_grants_are_charged(make_grant, room, labstaff, tool):
    grant = make_grant(room, status=GrantStatus.APPLIED)
    with pytest.raises(ValidationError) as error:
        buy(grant, labstaff, tool("multimeter"), unit_cost="189.00")
    assert error.value.error_dict["grant"][0].code == "not_approved"


def test_lab_staff_of_another_school_and_coordinators_cannot_buy(grant, other_labstaff, coordinator, tool):
    for user in (other_labstaff, coordinator):
        with pytest.raises(PermissionDenied):
            buy(grant, user, tool("multimeter"), unit_cost="189.00")
    assert not Purchase.objects.exists()


def test_purchases_and_grant_changes_are_in_the_audit_history(grant, labstaff, tool):
    purchase = buy(grant, labstaff, tool("multimeter"), quantity=2, unit_cost="189.00")
    entry = ModelLogEntry.objects.get(action="kits.create", object_id=str(purchase.pk))
    assert entry.user_id == labstaff.pk
    assert entry.data["changes"]["subsidy"] == [None, "378.00"]
    charge = ModelLogEntry.objects.get(action="kits.charge", object_id=str(grant.pk))
    assert charge.data["changes"]["charged"] == ["0.00", "378.00"]


def test_voiding_a_purchase_gives_the_subsidy_back(grant, labstaff, tool, room):
    keep = buy(grant, labstaff, tool("multimeter"), quantity=2, unit_cost="189.00")
    wrong = buy(grant, labstaff, tool("pla-filament"), quantity=20, unit_cost="69.00")
    services.void_purchase(wrong, user=labstaff)
    grant.refresh_from_db()
    assert grant.charged == keep.subsidy
    assert Stock.objects.get(room=room, tool_type__slug="pla-filament").quantity == 0
    assert ModelLogEntry.objects.filter(action="kits.void", object_id=str(grant.pk)).exists()


def test_approved_amounts_are_capped_by_the_programme(make_grant, room, coordinator, programme):
    # Approving is the city coordinator's (issue 11); lab staff may not set an approved amount at all.
    grant = Grant(
        programme=programme,
        room=room,
        approved_amount=Decimal("1000000.01"),
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 8, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.save_grant(grant, user=coordinator)
    assert "approved_amount" in error.value.message_dict
    grant.approved_amount = Decimal("1000000.00")
    services.save_grant(grant, user=coordinator)
    assert Grant.objects.get(pk=grant.pk).approved_amount == Decimal("1000000.00")


def test_an_approved_amount_cannot_drop_below_what_is_charged(grant, labstaff, coordinator, tool):
    buy(grant, labstaff, tool("laser-cutter-co2"), unit_cost="26800.00")
    grant.approved_amount = Decimal("20000.00")
    with pytest.raises(ValidationError) as error:
        services.save_grant(grant, user=coordinator)
    assert "approved_amount" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.approve_grant(grant, amount="20000.00", user=coordinator)
    assert "approved_amount" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_concurrent_purchases_never_overspend_a_grant(room, make_grant, labstaff, tool):
    """50 purchases at a grant with room for exactly 10. On PostgreSQL they come from 8 threads at
    once (row locks make them queue); SQLite serialises all writers anyway, so there they run one by one."""
    grant = make_grant(room, amount="49990.00")  # 10 × 4,999.00
    printer = tool("fdm-printer")
    on_postgres = connection.vendor == "postgresql"
    in_flight = 0
    peak = 0
    guard = threading.Lock()

    def attempt(n):
        nonlocal in_flight, peak
        with guard:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            buy(grant, labstaff, printer, invoice_number=f"FP{n:04d}")
            return "accepted"
        except ValidationError as error:
            assert error.error_dict["grant"][0].code == "grant_exhausted"
            return "refused"
        finally:
            with guard:
                in_flight -= 1
            if on_postgres:
                connections.close_all()

    if on_postgres:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(attempt, range(50)))
        assert peak > 1  # the purchases really overlapped
    else:
        outcomes = [attempt(n) for n in range(50)]
    assert outcomes.count("accepted") == 10
    assert outcomes.count("refused") == 40
    grant.refresh_from_db()
    assert grant.charged == grant.approved_amount == Decimal("49990.00")
    assert Purchase.objects.filter(grant=grant).count() == 10
    assert sum(Purchase.objects.filter(grant=grant).values_list("subsidy", flat=True)) == Decimal("49990.00")
    assert Asset.objects.filter(tool_type=printer).count() == 10  # tags never collide
