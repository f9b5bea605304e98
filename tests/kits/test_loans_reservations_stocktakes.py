from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from makerroom.core import roles

from kits import services
from kits.models import Asset, AssetStatus, Kit, KitStatus, Loan, MissingPart, Stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(make_user, school):
    return make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")


@pytest.fixture
def stocked(room, tool):
    Stock.objects.create(room=room, tool_type=tool("led-red"), quantity=3)
    Stock.objects.create(room=room, tool_type=tool("resistor-220"), quantity=100)


def due():
    return timezone.localdate() + timedelta(days=7)


def test_lending_a_kit_and_taking_it_back_with_missing_parts(kit, labstaff, student, stocked, room):
    loan = services.lend(kit=kit, borrower_kind="student", borrower=student, due_on=due(), user=labstaff)
    assert Kit.objects.get(pk=kit.pk).status == KitStatus.ON_LOAN
    with pytest.raises(ValidationError) as error:  # the same kit cannot go out twice
        services.lend(kit=kit, borrower_kind="class", class_name="初二（3）班", due_on=due(), user=labstaff)
    assert "kit" in error.value.message_dict
    services.return_loan(loan, user=labstaff, missing={"led-red": 2, "resistor-220": 1})
    loan.refresh_from_db()
    assert not loan.is_open
    parts = {p.tool_type.slug: (p.quantity, p.replaced) for p in MissingPart.objects.filter(loan=loan)}
    assert parts == {"led-red": (2, 2), "resistor-220": (1, 1)}
    assert Stock.objects.get(room=room, tool_type__slug="led-red").quantity == 1
    assert Kit.objects.get(pk=kit.pk).status == KitStatus.AVAILABLE  # refilled from stock


def test_a_kit_stays_incomplete_when_stock_cannot_refill_it(kit, labstaff, student, stocked):
    loan = services.lend(kit=kit, borrower_kind="student", borrower=student, due_on=due(), user=labstaff)
    services.return_loan(loan, user=labstaff, missing={"led-red": 5})
    part = MissingPart.objects.get(loan=loan)
    assert (part.quantity, part.replaced) == (5, 3)
    assert Kit.objects.get(pk=kit.pk).status == KitStatus.INCOMPLETE


def test_missing_parts_must_be_on_the_kits_checklist(kit, labstaff, student):
    loan = services.lend(kit=kit, borrower_kind="student", borrower=student, due_on=due(), user=labstaff)
    for missing in ({"sg90-servo": 1}, {"led-red": 6}, {"led-red": -1}):
        with pytest.raises(ValidationError) as error:
            services.return_loan(loan, user=labstaff, missing=missing)
        assert "missing" in error.value.message_dict
    assert Loan.objects.get(pk=loan.pk).is_open  # nothing half-done


def test_a_damaged_asset_goes_to_repair(room, labstaff, tool, make_user, school):
    teacher = make_user("li", role=roles.Role.TEACHER, school=school)
    asset = Asset.objects.create(tag="SZ-0012-000001", room=room, tool_type=tool("multimeter"))
    loan = services.lend(asset=asset, borrower_kind="teacher", borrower=teacher, due_on=due(), user=labstaff)
    services.return_loan(loan, user=labstaff, condition="damaged", notes="表笔断了")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.REPAIR


def test_lending_rules(kit, labstaff, other_labstaff, student, make_user, other_school):
    outsider = make_user("out", role=roles.Role.STUDENT, school=other_school)
    cases = [
        ({"borrower_kind": "student", "borrower": outsider}, "borrower"),
        ({"borrower_kind": "student", "borrower": None}, "borrower"),
        ({"borrower_kind": "class", "class_name": " "}, "class_name"),
        (
            {
                "borrower_kind": "student",
                "borrower": student,
                "due_on": timezone.localdate() - timedelta(days=1),
            },
            "due_on",
        ),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as error:
            services.lend(kit=kit, user=labstaff, **{"due_on": due(), **fields})
        assert field in error.value.message_dict, fields
    with pytest.raises(PermissionDenied):
        services.lend(kit=kit, borrower_kind="class", class_name="三年级", due_on=due(), user=other_labstaff)
    assert not Loan.objects.exists()


def _kits(room, school, template, n):
    for i in range(n):
        Kit.objects.create(code=f"{school.code}-K{i + 1:02d}", school=school, room=room, template=template)


def test_reservations_refuse_double_booking(room, school, template, make_user):
    _kits(room, school, template, 10)
    teacher = make_user("li", role=roles.Role.TEACHER, school=school)
    day = timezone.localdate() + timedelta(days=1)

    def book(n, start, end, cls="初一（1）班"):
        return services.reserve(
            room=room,
            teacher=teacher,
            class_name=cls,
            day=day,
            starts_at=start,
            ends_at=end,
            kit_count=n,
            user=teacher,
        )

    book(6, time(8, 0), time(9, 30))
    book(4, time(8, 50), time(10, 40))
    with pytest.raises(ValidationError) as error:
        book(1, time(9, 0), time(9, 20))  # 6 + 4 in use at 9:00
    assert error.value.error_dict["kit_count"][0].code == "double_booking"
    # 8:00–8:50 overlaps only the first booking; 9:30–10:40 only the second.
    book(4, time(8, 0), time(8, 50), "初一（2）班")
    book(6, time(9, 30), time(10, 40), "初一（3）班")
    with pytest.raises(ValidationError):
        book(11, time(14, 0), time(14, 40))  # more kits than the room has
    total, table = services.availability(room, [day])
    assert total == 10
    assert [free for _s, _e, free, _b in table[day]][:3] == [0, 0, 0]


def test_teachers_book_only_their_own_schools_kits(room, school, template, make_user, other_school):
    _kits(room, school, template, 3)
    stranger = make_user("wu", role=roles.Role.TEACHER, school=other_school)
    with pytest.raises(PermissionDenied):
        services.reserve(
            room=room,
            teacher=stranger,
            class_name="五年级",
            day=timezone.localdate() + timedelta(days=1),
            starts_at=time(8),
            ends_at=time(9),
            kit_count=1,
            user=stranger,
        )


def test_stocktake_reports_missing_and_unexpected_items(room, other_room, labstaff, tool):
    printer, meter = tool("fdm-printer"), tool("multimeter")
    for n in range(1, 5):
        Asset.objects.create(tag=f"SZ-0012-{n:06d}", room=room, tool_type=printer)
    Asset.objects.create(tag="SZ-0012-000005", room=room, tool_type=meter, status=AssetStatus.ON_LOAN)
    Asset.objects.create(tag="SZ-0012-000006", room=room, tool_type=meter, status=AssetStatus.RETIRED)
    Asset.objects.create(tag="SZ-0345-000001", room=other_room, tool_type=meter)
    stocktake = services.start_stocktake(room, user=labstaff)
    for tag in [
        "sz-0012-000001",
        "SZ-0012-000002",
        "http://127.0.0.1:8000/lab/assets/SZ-0012-000003/",
        "SZ-0012-000006",
        "SZ-0345-000001",
        "SZ-9999-000001",
        "SZ-0012-000001",
    ]:
        services.scan(stocktake, tag, user=labstaff)
    report = services.finish_stocktake(stocktake, user=labstaff)
    assert [a.tag for a in report["missing"]] == ["SZ-0012-000004"]
    assert [tag for tag, _a, _r in report["unexpected"]] == [
        "SZ-0012-000006",
        "SZ-0345-000001",
        "SZ-9999-000001",
    ]
    assert [a.tag for a in report["on_loan"]] == ["SZ-0012-000005"]
    assert len(report["found"]) == 3
    with pytest.raises(ValidationError):
        services.scan(stocktake, "SZ-0012-000004", user=labstaff)  # finished
