"""The flashing REST API (per-person tokens scoped to the lab staff member's school), role by role."""

import json

import pytest
from django.urls import reverse
from wagtail.models import APIToken

from firmware.library import lesson_zip
from kits.models import FlashRecord

RESULT = {
    "kit": "SZ-0012-K07",
    "mac": "24:0a:c4:e2:95:26",
    "chip": "ESP32-D0WDQ6",
    "port": "/dev/ttyUSB0",
    "base_firmware": "ESP32_GENERIC v1.24.1",
    "base_sha256": "ab" * 32,
    "lesson": "traffic-light",
    "lesson_version": "1.0.0",
    "ok": True,
    "message": "成功",
    "seconds": 12.34,
}


def token_for(user):
    return APIToken.create_token(user=user, name="lab pc")[1]


def post(client, body, token=None, raw=None, language="en"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    data = raw if raw is not None else json.dumps(body)
    return client.post(reverse("firmware_api:record_flash"), data, content_type="application/json", **headers)


@pytest.mark.parametrize(
    "who, status",
    [
        ("labstaff", 201),
        ("superuser", 201),
        ("teacher", 403),
        ("student", 403),
        ("judge", 403),
        ("organiser", 403),
        ("schoolless_labstaff", 403),
        ("other_labstaff", 403),
    ],
)
def test_recording_role_by_role(client, kit_world, who, status):
    user = kit_world["users"][who]
    response = post(client, RESULT, token_for(user))
    assert response.status_code == status, response.content
    records = FlashRecord.objects.filter(kit=kit_world["kit"])
    if status == 201:
        record = records.get()
        assert response.json()["id"] == record.pk and record.flashed_by == user
        assert (record.mac, record.lesson_slug, record.lesson_version, record.ok) == (
            "24:0A:C4:E2:95:26",
            "traffic-light",
            "1.0.0",
            True,
        )
        assert str(record.seconds) == "12.34" and record.base_sha256 == "ab" * 32
        kit_world["kit"].refresh_from_db()
        assert kit_world["kit"].esp32_mac == "24:0A:C4:E2:95:26"
    else:
        assert not records.exists()
        if who == "other_labstaff":
            assert "SZ-0012-K07" in response.json()["error"]  # another school's kit


def test_without_a_valid_token(client, kit_world):
    assert post(client, RESULT).status_code == 401
    assert post(client, RESULT, "wagtail_notarealtoken").status_code == 401
    token = token_for(kit_world["users"]["labstaff"])
    APIToken.objects.get().revoke()
    assert post(client, RESULT, token).status_code == 401
    # A session login does not count: the API takes tokens only.
    client.force_login(kit_world["users"]["labstaff"])
    assert post(client, RESULT).status_code == 401
    assert not FlashRecord.objects.exists()


def test_inactive_user_token_is_refused(client, kit_world):
    user = kit_world["users"]["labstaff"]
    token = token_for(user)
    user.is_active = False
    user.save()
    assert post(client, RESULT, token).status_code == 401


def test_failures_are_recorded_too_and_bad_input_is_named(client, kit_world):
    token = token_for(kit_world["users"]["labstaff"])
    failed = {**RESULT, "ok": False, "mac": "", "message": "写入中断：板子可能被拔掉了，请插好后重试"}
    assert post(client, failed, token).status_code == 201
    record = FlashRecord.objects.get()
    assert record.ok is False and record.message.startswith("写入中断")
    kit_world["kit"].refresh_from_db()
    assert kit_world["kit"].esp32_mac == ""  # only a successful flash sets the MAC

    assert post(client, None, token, raw="{not json").json() == {"error": "body is not JSON"}
    assert post(client, {**RESULT, "ok": "yes"}, token).json() == {"error": "ok: wrong type"}
    assert post(client, {k: v for k, v in RESULT.items() if k != "ok"}, token).status_code == 400
    response = post(client, {**RESULT, "kit": "SZ-0012-K99"}, token)
    assert response.status_code == 400 and "SZ-0012-K99" in response.json()["error"]
    response = post(client, {**RESULT, "mac": "not-a-mac"}, token)
    assert response.status_code == 400 and "not-a-mac" in response.json()["error"]
    assert FlashRecord.objects.count() == 1


def test_errors_come_in_the_language_the_client_asks_for(client, kit_world):
    token = token_for(kit_world["users"]["labstaff"])
    assert post(client, None, token, raw="[]").json() == {"error": "body must be a JSON object"}
    assert post(client, None, token, raw="[]", language="zh-hans").json() == {
        "error": "请求内容必须是 JSON 对象"
    }
    # no preference: Chinese first
    assert post(client, None, token, raw="[]", language=None).json() == {"error": "请求内容必须是 JSON 对象"}
    assert post(client, RESULT, "wagtail_wrong", language="zh-hans").json() == {"error": "令牌无效或已撤销"}


def test_superuser_records_any_school(client, kit_world):
    token = token_for(kit_world["users"]["superuser"])
    assert post(client, {**RESULT, "kit": "SZ-0345-K01"}, token).status_code == 201
    assert FlashRecord.objects.get().kit == kit_world["other_kit"]


def test_lesson_bundle(client, kit_world):
    url = reverse("firmware_api:lesson_bundle", args=["oled"])
    assert client.get(url).status_code == 401
    assert (
        client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_for(kit_world['users']['student'])}").status_code
        == 403
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(kit_world['users']['labstaff'])}"}
    response = client.get(url, **auth)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response.content == lesson_zip("oled")
    assert client.get(reverse("firmware_api:lesson_bundle", args=["nope"]), **auth).status_code == 404
    assert client.post(url, **auth).status_code == 405


def test_the_kits_endpoint_checks_codes_and_finds_boards_by_mac_in_the_users_school(kit_world, client):
    """What `makerroom-flash --server` asks before any board: which kit codes it may not use, and
    which of the hub's boards already belong to one of the user's kits."""
    from kits.models import Kit, KitStatus

    template = kit_world["kit"].template
    Kit.objects.create(
        code="SZ-0012-K08", school=kit_world["school"], template=template, status=KitStatus.RETIRED
    )
    Kit.objects.filter(code="SZ-0012-K07").update(esp32_mac="24:0A:C4:E2:95:26")
    Kit.objects.filter(code="SZ-0345-K01").update(esp32_mac="24:0A:C4:E2:95:27")  # another school's board
    token = token_for(kit_world["users"]["labstaff"])
    body = {
        "codes": ["SZ-0012-K07", "SZ-0012-K08", "SZ-0012-K99", "SZ-0345-K01"],
        "macs": ["24:0a:c4:e2:95:26", "24:0a:c4:e2:95:27", "24:0a:c4:e2:95:28"],
    }
    response = client.post(
        reverse("firmware_api:kits"),
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.json() == {
        "problems": {
            "SZ-0012-K08": "Kit SZ-0012-K08 is retired.",
            "SZ-0012-K99": "There is no kit SZ-0012-K99.",
            "SZ-0345-K01": "Kit SZ-0345-K01 belongs to another school.",
        },
        "macs": {"24:0a:c4:e2:95:26": "SZ-0012-K07"},
    }
    bad = client.post(
        reverse("firmware_api:kits"),
        json.dumps({"codes": "SZ-0012-K07"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert bad.status_code == 400
    anonymous = client.post(reverse("firmware_api:kits"), "{}", content_type="application/json")
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kit": ""}, "kit"),
        ({"kit": None}, "kit"),
        ({"seconds": 123456789}, "seconds"),
        ({"seconds": -1}, "seconds"),
        ({"base_sha256": "not-hex"}, "base_sha256"),
        ({"base_sha256": "a" * 63}, "base_sha256"),
        ({"chip": "x" * 41}, "chip"),
        ({"port": "p" * 121}, "port"),
        ({"lesson": "l" * 61}, "lesson"),
        ({"lesson_version": "9" * 21}, "lesson_version"),
        ({"message": "长" * 5001}, "message"),
    ],
)
def test_every_stored_field_is_validated(client, kit_world, change, field):
    """A record the admin cannot show (e.g. seconds that overflow its column) is never stored."""
    token = token_for(kit_world["users"]["labstaff"])
    response = post(client, {**RESULT, **change}, token)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]
    assert FlashRecord.objects.count() == 0


def test_a_stored_record_is_listed_in_the_admin(client, kit_world):
    token = token_for(kit_world["users"]["labstaff"])
    assert post(client, {**RESULT, "seconds": 86399.5, "message": "长" * 5000}, token).status_code == 201
    client.force_login(kit_world["users"]["superuser"])
    assert client.get("/admin/snippets/kits/flashrecord/").status_code == 200
