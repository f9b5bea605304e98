"""Issue 16, lab staff forms: tool types and assets are chosen by search or by scanning a tag.

The pickers' JSON searches (kits/pickers.py) match on name, category and asset tag, sorted by
category then name; assets are the user's own school's only (another school's tag finds nothing);
an exact tag comes back as the one to choose; the number of queries does not grow with the data.
The forms behind them accept an exact tag or name typed in, and say which field is wrong."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from makerroom.core import roles

from kits.models import Asset, AssetStatus, Purchase, ToolType

pytestmark = pytest.mark.django_db
TOOLS = reverse("kits_admin:pick_tool_types")
ASSETS = reverse("kits_admin:pick_assets")
ADD = "/admin/snippets/kits/purchase/add/"


def _assets(room, tool, count, start=1, prefix=None, **fields):
    code = prefix or room.school.code
    return Asset.objects.bulk_create(
        Asset(tag=f"{code}-{n:06d}", room=room, tool_type=tool, location="A 柜", **fields)
        for n in range(start, start + count)
    )


def _labels(response):
    return [row["label"] for row in response.json()["results"]]


def test_tool_types_are_found_by_part_of_a_name_or_by_category_in_catalogue_order(client, labstaff):
    client.force_login(labstaff)
    labels = _labels(client.get(TOOLS, {"q": "打印机"}))
    assert "3D打印 · 桌面级 FDM 3D 打印机（256×256×256mm）" in labels

    by_category = client.get(TOOLS, {"q": "测量仪器"}).json()["results"]
    expected = ToolType.objects.filter(category__name="测量仪器")
    assert {row["value"] for row in by_category} == {str(pk) for pk in expected.values_list("pk", flat=True)}
    names = [row["label"].split(" · ", 1)[1] for row in by_category]
    assert names == sorted(names)  # within a category: by name

    everything = client.get(TOOLS).json()["results"]
    categories = [row["label"].split(" · ", 1)[0] for row in everything]
    order = list(
        ToolType.objects.order_by("category__sort_order", "category__slug", "name").values_list(
            "category__name", flat=True
        )[: len(categories)]
    )
    assert categories == order  # by category first


def test_an_exact_asset_tag_is_the_one_to_choose_and_another_schools_is_never_offered(
    client, labstaff, room, other_room, tool
):
    printer = tool("fdm-printer")
    _assets(room, printer, 3)
    _assets(other_room, printer, 3)
    client.force_login(labstaff)

    found = client.get(ASSETS, {"q": "sz-0012-000002"}).json()  # a scanner may type lower case
    assert found["exact"]["label"].startswith("SZ-0012-000002 ")
    assert [row["label"] for row in found["results"]] == [found["exact"]["label"]]

    theirs = client.get(ASSETS, {"q": "SZ-0345-000002"}).json()
    assert theirs == {"results": [], "exact": None}
    every = _labels(client.get(ASSETS, {"q": "打印机"}))
    assert len(every) == 3 and all(label.startswith("SZ-0012-") for label in every)


def test_asset_search_matches_name_and_category_and_narrows_to_what_is_in_stock(client, labstaff, room, tool):
    _assets(room, tool("fdm-printer"), 2)
    _assets(room, tool("fdm-printer"), 1, start=3, status=AssetStatus.ON_LOAN)
    client.force_login(labstaff)
    assert len(_labels(client.get(ASSETS, {"q": "3D打印"}))) == 3
    in_stock = _labels(client.get(ASSETS, {"q": "FDM", "status": "in_stock"}))
    assert in_stock == [
        "SZ-0012-000001 桌面级 FDM 3D 打印机（256×256×256mm）",
        "SZ-0012-000002 桌面级 FDM 3D 打印机（256×256×256mm）",
    ]


def test_the_searches_refuse_people_without_the_permission(client, make_user, school):
    teacher = make_user("li", role=roles.Role.TEACHER, school=school)
    student = make_user("xiaoming", role=roles.Role.STUDENT, school=school)
    for user in (teacher, student):
        client.force_login(user)
        assert client.get(ASSETS, {"q": "SZ"}).status_code in (302, 403)
        assert client.get(TOOLS, {"q": "打印"}).status_code in (302, 403)
    client.logout()
    assert client.get(ASSETS, {"q": "SZ"}).status_code == 302  # to the login page


def test_a_coordinator_reads_but_is_offered_no_asset_to_act_on(client, coordinator, room, tool):
    _assets(room, tool("fdm-printer"), 2)
    client.force_login(coordinator)
    assert client.get(ASSETS, {"q": "SZ-0012-000001"}).json() == {"results": [], "exact": None}


def _queries(client, url, params):
    client.get(url, params)  # warm per-process caches (permissions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def test_the_searches_cost_the_same_queries_whatever_the_number_of_assets(client, labstaff, room, tool):
    client.force_login(labstaff)
    counts = []
    for start, count in ((1, 5), (6, 250)):
        _assets(room, tool("fdm-printer"), count // 2, start=start)
        _assets(room, tool("multimeter"), count - count // 2, start=start + count // 2)
        counts.append(
            (
                _queries(client, ASSETS, {"q": "SZ-0012"}),
                _queries(client, ASSETS, {"q": "SZ-0012-000003"}),
                _queries(client, TOOLS, {"q": "仪"}),
            )
        )
    (small, tag_small, tools_small), (large, tag_large, tools_large) = counts
    assert small[0] == large[0] and tag_small[0] == tag_large[0] and tools_small == tools_large
    assert large[1] == 20  # a page of matches, not 250
    assert tag_large[1] == 1


def test_the_lend_form_takes_a_scanned_tag_and_names_the_field_of_an_unknown_one(
    client, labstaff, room, other_room, tool, make_user, school
):
    make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")
    student = labstaff.__class__.objects.get(username="xiaoming")
    mine = _assets(room, tool("fdm-printer"), 1)[0]
    _assets(other_room, tool("fdm-printer"), 1)
    client.force_login(labstaff)
    due = (timezone.localdate() + timezone.timedelta(days=7)).isoformat()
    base = {"borrower_kind": "student", "borrower": student.pk, "due_on": due}

    refused = client.post(reverse("kits_admin:lend"), {**base, "asset": "SZ-0345-000001"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["asset"] == ["没有编号为 SZ-0345-000001 的资产。"]
    assert not Asset.objects.filter(status=AssetStatus.ON_LOAN).exists()

    lent = client.post(reverse("kits_admin:lend"), {**base, "asset": "sz-0012-000001"})
    assert lent.status_code == 302
    mine.refresh_from_db()
    assert mine.status == AssetStatus.ON_LOAN


def test_the_lend_forms_assets_are_sorted_by_category_then_name(client, labstaff, room, tool):
    _assets(room, tool("multimeter"), 1, start=1)
    _assets(room, tool("fdm-printer"), 1, start=2)
    client.force_login(labstaff)
    choices = [
        label
        for value, label in client.get(reverse("kits_admin:lend")).context["form"]["asset"].field.choices
        if value
    ]
    assert choices == ["SZ-0012-000002 桌面级 FDM 3D 打印机（256×256×256mm）", choices[1]]
    assert choices[1].startswith("SZ-0012-000001 ")


def _purchase(grant, tool_type, **fields):
    return {
        "grant": grant.pk,
        "tool_type": tool_type,
        "quantity": "2",
        "unit_cost": "35.00",
        "supplier": "深圳市华强电子有限公司",
        "invoice_number": "25442000000012345601",
        "purchased_on": timezone.localdate().isoformat(),
        **fields,
    }


def test_the_purchase_form_takes_a_typed_tool_name_and_names_the_field_of_an_unknown_one(
    client, labstaff, make_grant, room
):
    grant = make_grant(room, amount="50000.00")
    client.force_login(labstaff)
    refused = client.post(ADD, _purchase(grant, "不存在的工具"))
    assert refused.status_code == 200
    assert refused.context["form"].errors["tool_type"] == ["没有名为“不存在的工具”的工具类型。"]

    saved = client.post(ADD, _purchase(grant, "3D打印 · 桌面级 FDM 3D 打印机（256×256×256mm）"))
    assert saved.status_code == 302
    assert Purchase.objects.get().tool_type.slug == "fdm-printer"


def test_the_grant_options_carry_what_the_live_totals_need(client, labstaff, make_grant, room, other_room):
    grant = make_grant(room, amount="300000.00", charged=Decimal("1234.50"))
    make_grant(room, amount="200000.00", charged=Decimal("100.00"), starts_on=timezone.localdate())
    make_grant(other_room, amount="900000.00", charged=Decimal("5000.00"))  # another school's
    client.force_login(labstaff)
    html = client.get(ADD).content.decode()
    assert (
        f'value="{grant.pk}" data-left="298765.50" data-rate="1.00" data-cap="1000000.00" data-drawn="1334.50"'
        in html
    )
    assert "data-purchase-totals" in html and "kits/purchase_totals.js" in html and "kits/picker.js" in html


def test_a_kit_templates_parts_are_searched_too_and_listed_in_catalogue_order(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pass-w0rd-123")
    client.force_login(admin)
    html = client.get("/admin/snippets/kits/kittemplate/add/").content.decode()
    # the inline part form (in the "add a part" template) is a picker over the sorted catalogue
    assert 'data-kits-picker=\\"tool_types\\"' in html or 'data-kits-picker="tool_types"' in html
    assert "kits/picker.js" in html
    first = ToolType.objects.order_by("category__sort_order", "category__slug", "name").first()
    last = ToolType.objects.order_by("category__sort_order", "category__slug", "name").last()
    assert html.index(f"{first.category.name} · {first.name}") < html.index(
        f"{last.category.name} · {last.name}"
    )
