"""The asset list's bulk actions: 打印标签, 改状态, 移到位置, 加入套件 — only on the user's own
school's assets (a crafted request naming another school's asset is refused and changes nothing),
through the services, with each asset's audit history."""

import pypdfium2
import pytest
from wagtail.models import ModelLogEntry

from kits.models import Asset, AssetStatus, Kit

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(room, tool):
    return [
        Asset.objects.create(tag=f"SZ-0012-{n:06d}", room=room, tool_type=tool("multimeter"))
        for n in (1, 2, 3)
    ]


@pytest.fixture
def foreign(other_room, tool):
    return Asset.objects.create(tag="SZ-0345-000001", room=other_room, tool_type=tool("multimeter"))


def refused(response):
    """The admin's refusal: Wagtail turns a PermissionDenied into a redirect to the admin home with
    its "no permission" message (a 403 for XHR)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].rstrip("/").endswith("/admin")
    )


def url(action, assets):
    ids = "&".join(f"id={a.pk}" for a in assets)
    return f"/admin/bulk/kits/asset/{action}/?{ids}&next=/admin/snippets/kits/asset/"


def test_the_asset_list_offers_the_bulk_actions(client, labstaff, own):
    client.force_login(labstaff)
    html = client.get("/admin/snippets/kits/asset/").content.decode()
    for label in ("打印标签", "改状态", "移到位置", "加入套件"):
        assert label in html


def test_change_status_of_several_assets_with_history(client, labstaff, own):
    client.force_login(labstaff)
    page = client.get(url("set_status", own[:2]))
    assert (
        page.status_code == 200
        and "SZ-0012-000001" in page.content.decode()
        and "维修" in page.content.decode()
    )
    response = client.post(url("set_status", own[:2]), {"status": AssetStatus.REPAIR})
    assert response.status_code == 302
    assert [a.status for a in Asset.objects.order_by("tag")] == ["repair", "repair", "in_stock"]
    entry = ModelLogEntry.objects.filter(action="kits.edit", object_id=str(own[0].pk)).get()
    assert entry.data["changes"] == {"status": ["in_stock", "repair"]} and entry.user == labstaff


def test_on_loan_is_not_a_bulk_status_and_a_lent_asset_is_refused_whole(client, labstaff, own):
    client.force_login(labstaff)
    response = client.post(url("set_status", own), {"status": AssetStatus.ON_LOAN})
    assert response.status_code == 200  # the form again, nothing changed
    Asset.objects.filter(pk=own[2].pk).update(status=AssetStatus.ON_LOAN)
    response = client.post(url("set_status", own), {"status": AssetStatus.RETIRED})
    assert response.status_code == 200 and "请先办理归还" in response.content.decode()
    assert sorted(Asset.objects.values_list("status", flat=True)) == ["in_stock", "in_stock", "on_loan"]


def test_move_to_a_location(client, labstaff, own):
    client.force_login(labstaff)
    client.post(url("move", own), {"location": " A 柜  2 层 "})
    assert set(Asset.objects.values_list("location", flat=True)) == {"A 柜 2 层"}
    assert ModelLogEntry.objects.filter(action="kits.edit").count() == 3


def test_put_into_a_kit_and_take_out(client, labstaff, own, kit):
    client.force_login(labstaff)
    page = client.get(url("add_to_kit", own)).content.decode()
    assert kit.code in page
    client.post(url("add_to_kit", own[:2]), {"kit": kit.pk})
    assert set(kit.assets.values_list("tag", flat=True)) == {"SZ-0012-000001", "SZ-0012-000002"}
    client.post(url("add_to_kit", own[:1]), {"kit": ""})
    assert set(kit.assets.values_list("tag", flat=True)) == {"SZ-0012-000002"}


def test_print_labels_of_the_chosen_assets_marks_them_printed(client, labstaff, own):
    client.force_login(labstaff)
    response = client.post(url("print_labels", own[:2]))
    assert response["Content-Type"] == "application/pdf"
    text = pypdfium2.PdfDocument(response.content)[0].get_textpage().get_text_range()
    assert "SZ-0012-000001" in text and "SZ-0012-000002" in text and "SZ-0012-000003" not in text
    assert set(Asset.objects.filter(label_printed_at__isnull=False).values_list("tag", flat=True)) == {
        "SZ-0012-000001",
        "SZ-0012-000002",
    }


@pytest.mark.parametrize(
    "action, data",
    [
        ("set_status", {"status": "retired"}),
        ("move", {"location": "仓库"}),
        ("add_to_kit", {"kit": ""}),
        ("print_labels", {}),
    ],
)
def test_a_crafted_request_with_a_foreign_asset_is_refused_and_changes_nothing(
    client, labstaff, own, foreign, action, data
):
    client.force_login(labstaff)
    page = client.get(url(action, [own[0], foreign]))
    assert refused(page) and "SZ-0345" not in page.content.decode()  # never names it
    assert refused(client.post(url(action, [own[0], foreign]), data))
    assert refused(client.post(url(action, [foreign]), data))
    foreign.refresh_from_db()
    assert (foreign.status, foreign.location, foreign.label_printed_at) == ("in_stock", "", None)
    assert Asset.objects.get(pk=own[0].pk).status == "in_stock"
    assert not Asset.objects.filter(label_printed_at__isnull=False).exists()
    assert not ModelLogEntry.objects.filter(action="kits.edit").exists()


def test_another_schools_kit_cannot_be_chosen(client, labstaff, own, other_school, template):
    other_kit = Kit.objects.create(code="SZ-0345-K01", school=other_school, template=template)
    client.force_login(labstaff)
    response = client.post(url("add_to_kit", own), {"kit": other_kit.pk})
    assert response.status_code == 200  # not one of the choices
    assert not Asset.objects.filter(kit__isnull=False).exists()


def test_select_all_means_the_users_own_assets(client, labstaff, own, foreign):
    client.force_login(labstaff)
    client.post("/admin/bulk/kits/asset/move/?id=all&next=/admin/", {"location": "B 柜"})
    assert set(Asset.objects.filter(location="B 柜").values_list("tag", flat=True)) == {a.tag for a in own}
    foreign.refresh_from_db()
    assert foreign.location == ""


def test_a_read_only_coordinator_cannot_change_assets(client, coordinator, own):
    client.force_login(coordinator)
    assert refused(client.post(url("set_status", own), {"status": "retired"}))
    assert set(Asset.objects.values_list("status", flat=True)) == {"in_stock"}


def test_a_read_only_coordinator_is_offered_only_printing_labels(client, coordinator, own):
    """The list offers what the policy allows, not buttons that refuse: the city reads (and prints
    labels of) every school's assets but changes and deletes none."""
    client.force_login(coordinator)
    html = client.get("/admin/snippets/kits/asset/").content.decode()
    assert "SZ-0012-000001" in html and "data-bulk-action-checkbox" in html
    assert "/admin/bulk/kits/asset/print_labels/" in html
    for action in ("set_status", "move", "add_to_kit", "delete"):
        assert f"/admin/bulk/kits/asset/{action}/" not in html


def test_lab_staff_are_offered_their_four_asset_actions_and_not_delete(client, labstaff, own):
    """Lab staff retire an asset (改状态) rather than delete it: they hold no delete permission, so
    Wagtail's 删除 button, which would only refuse them, is not offered."""
    client.force_login(labstaff)
    html = client.get("/admin/snippets/kits/asset/").content.decode()
    for action in ("print_labels", "set_status", "move", "add_to_kit"):
        assert f"/admin/bulk/kits/asset/{action}/" in html
    assert "/admin/bulk/kits/asset/delete/" not in html


def test_a_listing_without_any_allowed_bulk_action_has_no_checkboxes(client, coordinator, room):
    """Rooms: the city reads them, changes and deletes none, so nothing is offered to tick."""
    client.force_login(coordinator)
    response = client.get("/admin/snippets/kits/makerroom/")
    html = response.content.decode()
    assert response.status_code == 200 and room.name in html
    assert "data-bulk-action-checkbox" not in html and "/admin/bulk/kits/makerroom/" not in html
