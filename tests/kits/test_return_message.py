"""Issue 16: when a returned kit's missing parts are refilled from the room's stock, the message
says so — what was refilled, and what stock could not cover (the kit then stays incomplete)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from kits import services
from kits.models import Stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(make_user, school):
    from makerroom.core import roles

    return make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")


def _return(client, labstaff, kit, student, missing):
    loan = services.lend(
        kit=kit,
        borrower_kind="student",
        borrower=student,
        due_on=timezone.localdate() + timedelta(days=7),
        user=labstaff,
    )
    client.force_login(labstaff)
    data = {"condition": "good", **{f"missing_{slug}": n for slug, n in missing.items()}}
    response = client.post(f"/admin/kits/loans/{loan.pk}/return/", data)
    assert response.status_code == 302
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_the_return_message_says_what_stock_refilled(client, kit, labstaff, student, room, tool):
    Stock.objects.create(room=room, tool_type=tool("led-red"), quantity=10)
    message = _return(client, labstaff, kit, student, {"led-red": 2})
    led = tool("led-red").name
    assert f"{led} ×2" in message
    assert "库存" in message or "stock" in message


def test_the_return_message_says_what_stock_could_not_cover(client, kit, labstaff, student, room, tool):
    Stock.objects.create(room=room, tool_type=tool("led-red"), quantity=1)
    message = _return(client, labstaff, kit, student, {"led-red": 3})
    led = tool("led-red").name
    assert f"{led} ×1" in message and f"{led} ×2" in message  # 1 refilled, 2 still missing
    assert "不完整" in message or "incomplete" in message
