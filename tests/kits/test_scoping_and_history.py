"""Every admin screen of a school's records, role by role; the audit history as the admin shows it;
and the generic admin actions (delete, edit) held to the same rules as the services."""

import csv
import io
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from makerroom.core import roles

from kits import services
from kits.models import Asset, AssetStatus, Grant, Kit, KitStatus, Loan, Purchase, Stock

pytestmark = pytest.mark.django_db
INVOICES = (f"2544200000000{n:04d}" for n in itertools.count(1))  # one invoice per line (charged once)


def buy(grant, user, tool, slug="multimeter", quantity=2, unit_cost="189.00"):
    return services.record_purchase(
        grant=grant,
        tool_type=tool(slug),
        quantity=quantity,
        unit_cost=unit_cost,
        supplier="深圳市福田区鑫达电子仪器店",
        invoice_number=next(INVOICES),
        purchased_on=date(2026, 3, 2),
        user=user,
    )


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pass-w0rd-123")


@pytest.fixture
def records(grant, labstaff, tool, kit, make_user, school):
    """One of each kind of a school's records, made the way lab staff make them."""
    purchase = buy(grant, labstaff, tool)
    asset = Asset.objects.filter(purchase=purchase).first()
    student = make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")
    loan = services.lend(
        kit=kit,
        borrower_kind="student",
        borrower=student,
        due_on=timezone.localdate() + timedelta(days=7),
        user=labstaff,
    )
    stocktake = services.start_stocktake(kit.room, user=labstaff)
    return {
        "grant": grant,
        "purchase": purchase,
        "asset": asset,
        "kit": kit,
        "loan": loan,
        "stocktake": stocktake,
        "makerroom": kit.room,
    }


def _status(client, user, url):
    client.force_login(user)
    response = client.get(url)
    if response.status_code == 302:
        return "denied" if response["Location"].rstrip("/").endswith("/admin") else response["Location"]
    return response.status_code


@pytest.mark.parametrize("model", ["grant", "purchase", "asset", "kit", "loan", "stocktake", "makerroom"])
@pytest.mark.parametrize(
    ("role", "inspect", "edit"),
    [
        ("labstaff", 200, 200),
        ("other_labstaff", 404, 404),  # another school's record does not exist for them
        ("coordinator", 200, "denied"),  # city-wide, read-only
        ("superuser", 200, 200),
    ],
)
def test_record_screens_role_by_role(
    client, records, labstaff, other_labstaff, coordinator, superuser, model, role, inspect, edit
):
    user = {
        "labstaff": labstaff,
        "other_labstaff": other_labstaff,
        "coordinator": coordinator,
        "superuser": superuser,
    }[role]
    pk = records[model].pk
    assert _status(client, user, f"/admin/snippets/kits/{model}/inspect/{pk}/") == inspect
    assert _status(client, user, f"/admin/snippets/kits/{model}/edit/{pk}/") == edit
    listing = client.get(f"/admin/snippets/kits/{model}/")
    assert listing.status_code == 200
    shown = pk in [obj.pk for obj in listing.context["object_list"]]
    assert shown == (inspect == 200), (role, model)


def test_other_schools_lab_staff_cannot_use_the_lab_screens_on_our_records(
    client, records, other_labstaff, labstaff
):
    loan, stocktake = records["loan"], records["stocktake"]
    client.force_login(other_labstaff)
    assert client.get(f"/admin/kits/loans/{loan.pk}/return/").status_code == 404
    assert client.post(f"/admin/kits/loans/{loan.pk}/return/", {"condition": "good"}).status_code == 404
    assert client.get(f"/admin/kits/stocktakes/{stocktake.pk}/").status_code == 404
    assert (
        client.post(f"/admin/kits/stocktakes/{stocktake.pk}/", {"tag": "SZ-0012-000001"}).status_code == 404
    )
    assert "SZ-0012-K07" not in client.get("/admin/kits/loans/").content.decode()
    lend_form = client.get("/admin/kits/loans/new/").content.decode()
    assert "SZ-0012-K07" not in lend_form and "小明" not in lend_form
    assert Loan.objects.get(pk=loan.pk).is_open and not stocktake.scans.exists()


def test_the_coordinator_changes_nothing_even_by_posting(client, records, coordinator, school):
    grant, loan, stocktake = records["grant"], records["loan"], records["stocktake"]
    client.force_login(coordinator)
    edited = client.post(
        f"/admin/snippets/kits/grant/edit/{grant.pk}/",
        {"programme": grant.programme_id, "room": grant.room_id, "approved_amount": "1.00"},
    )
    assert edited.status_code == 302 and edited["Location"] == "/admin/"
    assert Grant.objects.get(pk=grant.pk).approved_amount == Decimal("1000000.00")
    refused = client.post(f"/admin/kits/loans/{loan.pk}/return/", {"condition": "good"})
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert Loan.objects.get(pk=loan.pk).is_open
    for form in ({"tag": "SZ-0012-000001"}, {"finish": "1"}):
        refused = client.post(f"/admin/kits/stocktakes/{stocktake.pk}/", form)
        assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "denied"
    assert not stocktake.scans.exists()
    stocktake.refresh_from_db()
    assert stocktake.finished_at is None


def test_the_coordinator_exports_one_schools_purchases_or_is_sent_to_the_city_report(
    client, records, coordinator, school
):
    client.force_login(coordinator)
    response = client.get("/admin/kits/dashboard/purchases/?format=csv")
    assert response.status_code == 302 and response["Location"] == "/admin/kits/city/"
    text = client.get(f"/admin/kits/dashboard/purchases/?school={school.code}&format=csv").content
    header, row = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert header[3] == "品名" and row[3] == "数字万用表"


def test_a_room_that_is_not_a_number_is_not_found(client, labstaff):
    client.force_login(labstaff)
    assert client.get("/admin/kits/labels/?room=abc").status_code == 404


# --- the snippet chooser (the modal behind chooser widgets) ---------------------------------------


def test_the_chooser_lists_and_returns_only_the_users_school(
    client, labstaff, grant, make_grant, other_room, coordinator
):
    other = make_grant(other_room, reference="福田科创〔2026〕7号")
    client.force_login(labstaff)
    results = client.get("/admin/snippets/choose/kits/grant/results/")
    assert [g.pk for g in results.context["results"]] == [grant.pk]
    assert client.get(f"/admin/snippets/choose/kits/grant/chosen/{other.pk}/").status_code == 404
    assert client.get(f"/admin/snippets/choose/kits/grant/chosen/{grant.pk}/").status_code == 200
    chosen = client.get(f"/admin/snippets/choose/kits/grant/chosen-multiple/?id={grant.pk}&id={other.pk}")
    assert "福田" not in chosen.content.decode()
    client.force_login(coordinator)
    results = client.get("/admin/snippets/choose/kits/grant/results/")
    assert {g.pk for g in results.context["results"]} == {grant.pk, other.pk}


# --- the audit history in the admin --------------------------------------------------------------


def _history(client, model, pk):
    response = client.get(f"/admin/snippets/kits/{model}/history/{pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_grant_purchase_and_loan_histories_show_who_and_before_and_after(client, records, labstaff):
    grant, purchase, loan = records["grant"], records["purchase"], records["loan"]
    services.return_loan(loan, user=labstaff, missing={"led-red": 2}, notes="社团活动遗失")
    grant.reference = "深科创〔2025〕112号"
    services.save_grant(grant, user=labstaff)
    client.force_login(labstaff)

    html = _history(client, "grant", grant.pk)
    assert "资助列支" in html and "已使用（元）: 0.00 → 378.00" in html
    assert "批准文号: — → 深科创〔2025〕112号" in html
    assert "wang" in html or "王老师" in html

    html = _history(client, "purchase", purchase.pk)
    assert "资助金额（元）: — → 378.00" in html and "数量: — → 2" in html

    html = _history(client, "loan", loan.pk)
    assert "归还" in html and "红色 LED" in html

    html = _history(client, "kit", records["kit"].pk)
    assert "借出" in html and "on_loan" in html


def test_the_city_coordinator_reads_every_schools_history(client, records, coordinator):
    client.force_login(coordinator)
    for model in ("grant", "purchase", "loan", "asset", "kit"):
        _history(client, model, records[model].pk)
    assert "资助列支" in _history(client, "grant", records["grant"].pk)


def test_another_schools_history_is_not_found(client, records, other_labstaff):
    client.force_login(other_labstaff)
    for model in ("grant", "purchase", "loan", "asset"):
        assert client.get(f"/admin/snippets/kits/{model}/history/{records[model].pk}/").status_code == 404


# --- generic admin actions keep the rules -------------------------------------------------------


def test_deleting_a_purchase_in_the_admin_voids_it(client, superuser, grant, labstaff, tool, room):
    keep = buy(grant, labstaff, tool, "laser-cutter-co2", 1, "26800.00")
    wrong = buy(grant, labstaff, tool, "pla-filament", 20, "69.00")
    client.force_login(superuser)
    assert client.get(f"/admin/snippets/kits/purchase/delete/{wrong.pk}/").status_code == 200  # confirm
    response = client.post(f"/admin/snippets/kits/purchase/delete/{wrong.pk}/")
    assert response.status_code == 302
    assert not Purchase.objects.filter(pk=wrong.pk).exists()
    grant.refresh_from_db()
    assert grant.charged == keep.subsidy == Decimal("26800.00")
    assert Stock.objects.get(room=room, tool_type__slug="pla-filament").quantity == 0


def test_bulk_deleting_purchases_is_all_or_nothing(client, superuser, grant, labstaff, tool, kit, make_user):
    first = buy(grant, labstaff, tool, "multimeter", 1)
    lent = buy(grant, labstaff, tool, "oscilloscope", 1, "2680.00")
    teacher = make_user("li", role=roles.Role.TEACHER, school=kit.school)
    services.lend(
        asset=lent.assets.get(),
        borrower_kind="teacher",
        borrower=teacher,
        due_on=timezone.localdate() + timedelta(days=3),
        user=labstaff,
    )
    client.force_login(superuser)
    response = client.post(f"/admin/bulk/kits/purchase/delete/?id={first.pk}&id={lent.pk}")
    assert response.status_code == 302
    assert "借出" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert Purchase.objects.count() == 2 and Asset.objects.count() == 2
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("2869.00")


def test_an_open_loan_cannot_be_deleted(client, superuser, records):
    loan = records["loan"]
    client.force_login(superuser)
    assert client.post(f"/admin/snippets/kits/loan/delete/{loan.pk}/").status_code == 302
    assert Loan.objects.filter(pk=loan.pk).exists()
    assert Kit.objects.get(pk=loan.kit_id).status == KitStatus.ON_LOAN


def _kit_form(kit, **changes):
    return {
        "code": kit.code,
        "school": kit.school_id,
        "room": kit.room_id,
        "template": kit.template_id,
        "status": kit.status,
        "notes": "",
        **changes,
    }


def test_an_edit_cannot_lend_or_return_a_kit_or_an_asset(client, labstaff, kit, records):
    lent = records["kit"]
    client.force_login(labstaff)
    response = client.post(f"/admin/snippets/kits/kit/edit/{lent.pk}/", _kit_form(lent, status="available"))
    assert response.status_code == 200 and "借用与归还" in response.content.decode()
    assert Kit.objects.get(pk=lent.pk).status == KitStatus.ON_LOAN
    asset = records["asset"]
    response = client.post(
        f"/admin/snippets/kits/asset/edit/{asset.pk}/",
        {"serial": "", "status": "on_loan", "location": "", "notes": ""},
    )
    assert response.status_code == 200
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.IN_STOCK
    # Other status changes still work: a broken meter goes to repair.
    response = client.post(
        f"/admin/snippets/kits/asset/edit/{asset.pk}/",
        {"serial": "", "status": "repair", "location": "", "notes": "屏幕不亮"},
    )
    assert response.status_code == 302
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.REPAIR


def test_the_dashboard_lists_low_stock(client, labstaff, grant, tool, room):
    buy(grant, labstaff, tool, "led-red", 30, "0.10")
    buy(grant, labstaff, tool, "pla-filament", 20, "69.00")
    Stock.objects.filter(tool_type__slug="led-red").update(low_stock_threshold=50)
    Stock.objects.filter(tool_type__slug="pla-filament").update(low_stock_threshold=5)
    client.force_login(labstaff)
    response = client.get("/admin/kits/dashboard/")
    assert [s.tool_type.slug for s in response.context["low_stock"]] == ["led-red"]
    assert "库存不足" in response.content.decode()
