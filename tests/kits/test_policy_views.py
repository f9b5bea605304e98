"""Every Wagtail view of every kits model asks kits/policy.py: index (and its export), inspect, edit,
delete, history, usage, the chooser; the copy view is off. Checked with real rows of two schools
and every role that reaches the admin."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from makerroom.core import roles
from makerroom.core.admin_views import PolicySnippetViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.models import get_snippet_models

from kits import policy, services
from kits.models import (
    Asset,
    FlashRecord,
    Grant,
    Kit,
    Loan,
    MakerRoom,
    Purchase,
    Reservation,
    Stock,
)

pytestmark = pytest.mark.django_db

SCHOOL_MODELS = [
    "makerroom",
    "grant",
    "purchase",
    "asset",
    "stock",
    "kit",
    "loan",
    "reservation",
    "stocktake",
    "flashrecord",
]
CATALOGUE = ["tooltype", "toolcategory", "fundingprogramme", "kittemplate"]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pass-w0rd-123")


@pytest.fixture
def people(make_user, school, labstaff, other_labstaff, coordinator, superuser):
    return {
        "labstaff": labstaff,
        "other_labstaff": other_labstaff,
        "coordinator": coordinator,
        "superuser": superuser,
        "teacher": make_user("li", role=roles.Role.TEACHER, school=school),
        "other_teacher": make_user("chen", role=roles.Role.TEACHER),
        "reviewer": make_user("rev", role=roles.Role.REVIEWER, school=school),
        "organiser": make_user("org", role=roles.Role.ORGANISER),
    }


@pytest.fixture
def rows(grant, labstaff, tool, kit, make_user, school, people):
    """One row of each kits model at school A, made the way lab staff make them."""
    purchase = services.record_purchase(
        grant=grant,
        tool_type=tool("multimeter"),
        quantity=1,
        unit_cost="189.00",
        supplier="深圳市福田区鑫达电子仪器店",
        invoice_number="25442000000000001",
        purchased_on=timezone.localdate(),
        user=labstaff,
    )
    services.record_purchase(
        grant=grant,
        tool_type=tool("led-red"),
        quantity=100,
        unit_cost="0.10",
        supplier="华强北电子",
        invoice_number="25442000000000002",
        purchased_on=timezone.localdate(),
        user=labstaff,
    )
    student = make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")
    loan = services.lend(
        kit=kit,
        borrower_kind="student",
        borrower=student,
        due_on=timezone.localdate() + timedelta(days=7),
        user=labstaff,
    )
    reservation = services.reserve(
        room=kit.room,
        teacher=people["teacher"],
        class_name="初二（3）班",
        day=timezone.localdate() + timedelta(days=1),
        starts_at=time(8, 0),
        ends_at=time(8, 40),
        kit_count=1,
        user=people["teacher"],
    )
    flash = FlashRecord.objects.create(kit=kit, mac="24:6F:28:AA:BB:CC", ok=True, lesson_slug="blink")
    return {
        "makerroom": kit.room,
        "grant": grant,
        "purchase": purchase,
        "asset": Asset.objects.get(purchase=purchase),
        "stock": Stock.objects.get(room=kit.room),
        "kit": kit,
        "loan": loan,
        "reservation": reservation,
        "stocktake": services.start_stocktake(kit.room, user=labstaff),
        "flashrecord": flash,
    }


def _row_counts():
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (MakerRoom, Grant, Purchase, Asset, Stock, Kit, Loan, Reservation)
    }


# --- every kits model has its policy, every viewset asks it ------------------------------------


def test_every_kits_snippet_model_is_governed_by_a_kits_policy_and_its_viewset_has_no_copy():
    kits_models = [m for m in get_snippet_models() if m._meta.app_label == "kits"]
    assert {m._meta.model_name for m in kits_models} == set(SCHOOL_MODELS + CATALOGUE)
    for model in kits_models:
        assert isinstance(policy_registry.get_by_type(model), policy.KitsPolicy), model
        viewset = model.snippet_viewset
        assert isinstance(viewset, PolicySnippetViewSet), model
        assert not viewset.copy_view_enabled, model


# --- the copy hole --------------------------------------------------------------------------------


@pytest.mark.parametrize("model", SCHOOL_MODELS + CATALOGUE)
@pytest.mark.parametrize("who", ["other_labstaff", "labstaff", "superuser"])
def test_the_copy_view_is_gone_for_every_kits_model(client, rows, people, model, who):
    from django.apps import apps

    pk = rows[model].pk if model in rows else apps.get_model("kits", model).objects.first().pk
    before = _row_counts()
    client.force_login(people[who])
    url = f"/admin/snippets/kits/{model}/copy/{pk}/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"approved_amount": "1.00", "quantity": "1", "code": "X", "name": "X"})
    assert response.status_code == 404
    assert _row_counts() == before  # nothing changed, nothing added


# --- choosers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", SCHOOL_MODELS)
@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("teacher", False),  # no kits permission (reservations: their own school's, see below)
        ("other_teacher", False),
        ("reviewer", False),
        ("organiser", False),
        ("other_labstaff", False),  # another school's
        ("labstaff", True),
        ("coordinator", True),  # reads every school
        ("superuser", True),
    ],
)
def test_choosers_list_only_what_the_policy_lets_the_user_see(client, rows, people, model, who, sees):
    if model == "reservation" and who == "teacher":
        sees = True  # teachers book kits: they see their own school's reservations
    pk = rows[model].pk
    client.force_login(people[who])
    results = client.get(f"/admin/snippets/choose/kits/{model}/results/")
    if results.status_code == 200:
        listed = [obj.pk for obj in results.context["results"]]
        assert (pk in listed) == sees, (who, model)
    else:
        assert not sees and results.status_code in (302, 403), (who, model, results.status_code)
    chosen = client.get(f"/admin/snippets/choose/kits/{model}/chosen/{pk}/")
    assert (chosen.status_code == 200) == sees, (who, model, chosen.status_code)
    multiple = client.get(f"/admin/snippets/choose/kits/{model}/chosen-multiple/?id={pk}")
    if multiple.status_code == 200:
        assert ([r["id"] for r in multiple.json()["result"]] == [str(pk)]) == sees, (who, model)


# --- index, export, inspect, edit, delete, history, usage -----------------------------------------

VIEWS = ["inspect", "edit", "delete", "history", "usage"]


def _outcome(response):
    if response.status_code == 302:
        return "denied" if response["Location"].rstrip("/").endswith("/admin") else "redirect"
    return response.status_code


@pytest.mark.parametrize("model", SCHOOL_MODELS)
def test_another_schools_lab_staff_reach_no_view_of_our_rows(client, rows, people, model):
    pk = rows[model].pk
    client.force_login(people["other_labstaff"])
    for view in VIEWS:
        outcome = _outcome(client.get(f"/admin/snippets/kits/{model}/{view}/{pk}/"))
        assert outcome in (404, "denied"), (model, view, outcome)
        outcome = _outcome(client.post(f"/admin/snippets/kits/{model}/{view}/{pk}/", {}))
        assert outcome in (404, "denied"), (model, view, outcome)
    listing = client.get(f"/admin/snippets/kits/{model}/")
    if listing.status_code == 200:
        assert pk not in [obj.pk for obj in listing.context["object_list"]]
    marker = {"grant": "南山区创新", "purchase": "25442000000000001", "kit": "SZ-0012-K07"}.get(model)
    if marker:
        response = client.get(f"/admin/snippets/kits/{model}/?export=csv")
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert marker not in body.decode("utf-8-sig"), model
    assert Loan.objects.get(pk=rows["loan"].pk).is_open


@pytest.mark.parametrize("model", SCHOOL_MODELS)
def test_our_lab_staff_and_the_coordinator_read_every_view_and_only_lab_staff_edit(
    client, rows, people, model
):
    pk = rows[model].pk
    client.force_login(people["labstaff"])
    assert client.get(f"/admin/snippets/kits/{model}/inspect/{pk}/").status_code == 200
    assert client.get(f"/admin/snippets/kits/{model}/history/{pk}/").status_code == 200
    client.force_login(people["coordinator"])
    assert client.get(f"/admin/snippets/kits/{model}/inspect/{pk}/").status_code == 200
    assert client.get(f"/admin/snippets/kits/{model}/history/{pk}/").status_code == 200
    for view in ("edit", "delete"):
        assert _outcome(client.get(f"/admin/snippets/kits/{model}/{view}/{pk}/")) == "denied", (model, view)


def test_the_delete_view_and_bulk_delete_keep_our_purchases_from_another_school(client, rows, people):
    purchase = rows["purchase"]
    client.force_login(people["other_labstaff"])
    client.post(f"/admin/snippets/kits/purchase/delete/{purchase.pk}/")
    client.post(f"/admin/bulk/kits/purchase/delete/?id={purchase.pk}")
    assert Purchase.objects.filter(pk=purchase.pk).exists()
    assert Grant.objects.get(pk=rows["grant"].pk).charged == Decimal("199.00")


def test_the_policy_scopes_querysets_like_the_views(rows, people):
    grant = rows["grant"]
    assert list(policy.grants.scope(people["labstaff"])) == [grant]
    assert list(policy.grants.scope(people["other_labstaff"])) == []
    assert list(policy.grants.scope(people["teacher"])) == []
    assert list(policy.grants.scope(people["coordinator"])) == [grant]
    assert list(policy.grants.scope(people["coordinator"], action="change")) == []
    assert policy.purchases.can(people["labstaff"], "change", rows["purchase"])
    assert not policy.purchases.can(people["other_labstaff"], "view", rows["purchase"])
    assert policy.reservations.may_book(people["teacher"], rows["makerroom"], people["teacher"])
    assert not policy.reservations.may_book(
        people["other_teacher"], rows["makerroom"], people["other_teacher"]
    )
