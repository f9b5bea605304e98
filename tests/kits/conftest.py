from datetime import date
from decimal import Decimal

import pytest
from makerroom.core import roles
from makerroom.core.models import SchoolStage

from kits.models import (
    FundingProgramme,
    Grant,
    GrantStatus,
    Kit,
    KitTemplate,
    KitTemplateItem,
    MakerRoom,
    ToolType,
)
from tests.factories import make_school

PASSWORD = "pass-w0rd-123"


@pytest.fixture(autouse=True)
def catalogue(db):
    """The catalogue and programmes come from migrations; a transactional test elsewhere in the
    session flushes them, so put them back when they are gone."""
    from kits import catalogue
    from kits.models import ToolCategory

    if not FundingProgramme.objects.exists() or not ToolType.objects.exists():
        catalogue.sync_catalogue(ToolCategory, ToolType)
        catalogue.sync_programmes(FundingProgramme)


@pytest.fixture
def school(db):
    return make_school("SZ-0012", "深圳市南山区创新实验学校", district="南山区", stage=SchoolStage.JUNIOR)


@pytest.fixture
def other_school(db):
    return make_school("SZ-0345", "深圳市福田区红岭实验小学", district="福田区", stage=SchoolStage.PRIMARY)


@pytest.fixture
def room(school):
    return MakerRoom.objects.create(school=school, name="创客实践室", location="科技楼 3 楼 302")


@pytest.fixture
def other_room(other_school):
    return MakerRoom.objects.create(school=other_school, name="创客实践室", location="综合楼 2 楼")


@pytest.fixture
def programme(db):
    return FundingProgramme.objects.get(slug="maker-room")


@pytest.fixture
def make_grant(programme):
    def make(room, amount="1000000.00", status=GrantStatus.APPROVED, **fields):
        return Grant.objects.create(
            programme=fields.pop("programme", programme),
            room=room,
            approved_amount=Decimal(amount),
            starts_on=fields.pop("starts_on", date(2025, 9, 1)),
            ends_on=fields.pop("ends_on", date(2027, 8, 31)),
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def grant(make_grant, room):
    return make_grant(room)


@pytest.fixture
def labstaff(make_user, school):
    return make_user("wang", role=roles.Role.LAB_STAFF, school=school, display_name="王老师")


@pytest.fixture
def other_labstaff(make_user, other_school):
    return make_user("zhao", role=roles.Role.LAB_STAFF, school=other_school, display_name="赵老师")


@pytest.fixture
def coordinator(make_user):
    return make_user("city", role=roles.Role.CITY_COORDINATOR, display_name="市教育局统筹员")


@pytest.fixture
def tool(db):
    return lambda slug: ToolType.objects.get(slug=slug)


@pytest.fixture
def template(db, tool):
    template = KitTemplate.objects.create(name="ESP32 入门套件", description="开发板、面包板和常用元件")
    for slug, quantity in [
        ("esp32-devkit", 1),
        ("usb-cable", 1),
        ("breadboard", 1),
        ("led-red", 5),
        ("resistor-220", 5),
    ]:
        KitTemplateItem.objects.create(template=template, tool_type=tool(slug), quantity=quantity)
    return template


@pytest.fixture
def kit(school, room, template):
    return Kit.objects.create(code="SZ-0012-K07", school=school, room=room, template=template)
