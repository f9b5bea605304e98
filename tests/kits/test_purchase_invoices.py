"""Issue 11: an invoice is never charged twice, whichever way a purchase comes in. The import refuses
an invoice number already recorded for the school unless the row is marked 同一发票续行; the single
purchase form (and editing a purchase's paperwork) follows the same rule of kits.services: the form
says on the invoice number field what is wrong, keeps what was typed, and a further line of that
invoice is entered by ticking 同一发票续行."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kits import imports, services
from kits.models import Asset, Grant, Purchase, Stock

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/kits/purchase/add/"
INVOICE = "25442000000012345678"


def _line(grant, user, tool, **fields):
    return {
        "grant": grant,
        "tool_type": tool(fields.pop("slug", "fdm-printer")),
        "quantity": 1,
        "unit_cost": "4999.00",
        "supplier": "深圳市拓竹科技有限公司",
        "invoice_number": INVOICE,
        "purchased_on": timezone.localdate(),
        "user": user,
        **fields,
    }


def _form(grant, tool, **fields):
    return {
        "grant": grant.pk,
        "tool_type": tool(fields.pop("slug", "fdm-printer")).pk,
        "quantity": "2",
        "unit_cost": "4999.00",
        "supplier": "深圳市拓竹科技有限公司",
        "invoice_number": INVOICE,
        "purchased_on": timezone.localdate().isoformat(),
        **fields,
    }


def _field_has_error(html, name):
    """The form marks the field itself (Wagtail's w-field--error on that field's wrapper)."""
    return re.search(rf'class="w-field [^"]*w-field--error[^"]*" data-field data-contentpath="{name}"', html)


# --- the service: one rule for every path ----------------------------------------------------------


def test_the_service_refuses_an_invoice_already_recorded_for_the_school(grant, labstaff, tool, room):
    services.record_purchase(**_line(grant, labstaff, tool))
    with pytest.raises(ValidationError) as refused:
        services.record_purchase(
            **_line(grant, labstaff, tool, slug="led-red", quantity=100, unit_cost="0.10")
        )
    error = refused.value.error_dict["invoice_number"][0]
    assert error.code == "duplicate_invoice"
    assert INVOICE in refused.value.messages[0] and "同一发票续行" in refused.value.messages[0]
    # Nothing of the refused line was charged or stocked; spaces around the number change nothing.
    with pytest.raises(ValidationError):
        services.record_purchase(**_line(grant, labstaff, tool, invoice_number=f"  {INVOICE} "))
    assert Purchase.objects.count() == 1 and Asset.objects.count() == 1
    assert not Stock.objects.filter(room=room).exists()
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("4999.00")


def test_a_further_line_of_the_same_invoice_is_recorded_when_marked(grant, labstaff, tool):
    services.record_purchase(**_line(grant, labstaff, tool))
    second = services.record_purchase(
        **_line(grant, labstaff, tool, slug="pla-filament", quantity=10, unit_cost="69.00"),
        continues_invoice=True,
    )
    assert second.invoice_number == INVOICE
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("5689.00")


def test_the_rule_is_per_school_and_counts_every_grant_of_the_school(
    make_grant, room, other_room, grant, labstaff, other_labstaff, tool, programme
):
    services.record_purchase(**_line(grant, labstaff, tool))
    other_grant = make_grant(other_room)
    # Another school's invoice with the same number is theirs.
    assert services.record_purchase(**_line(other_grant, other_labstaff, tool)).invoice_number == INVOICE
    # The school's second grant (another programme) cannot charge the same invoice again.
    shared = make_grant(
        room, amount="100000.00", programme=type(programme).objects.get(slug="shared-equipment")
    )
    with pytest.raises(ValidationError) as refused:
        services.record_purchase(**_line(shared, labstaff, tool))
    assert refused.value.error_dict["invoice_number"][0].code == "duplicate_invoice"


def test_an_invoice_recorded_by_the_form_is_already_recorded_for_the_import(client, grant, labstaff, tool):
    client.force_login(labstaff)
    assert client.post(ADD, _form(grant, tool)).status_code == 302
    header = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"
    row = f"{timezone.localdate():%Y-%m-%d},led-red,100,0.10,10.00,华强北电子,{INVOICE},"
    upload = io.BytesIO(f"{header}\n{row}\n".encode("utf-8-sig"))
    result = imports.preview_purchases(upload, "a.csv", grant=grant, user=labstaff)
    assert [(e.row, e.column) for e in result.errors] == [(2, "发票号码")]
    assert "已登记" in result.errors[0].message


def test_an_invoice_recorded_by_an_import_is_already_recorded_for_the_form(client, grant, labstaff, tool):
    header = "采购日期,品目编码,数量,单价（元）,金额（元）,供应商,发票号码,同一发票续行"
    row = f"{timezone.localdate():%Y-%m-%d},led-red,100,0.10,10.00,华强北电子,{INVOICE},"
    upload = io.BytesIO(f"{header}\n{row}\n".encode("utf-8-sig"))
    assert imports.import_purchases(upload, "a.csv", grant=grant, user=labstaff).ok
    client.force_login(labstaff)
    response = client.post(ADD, _form(grant, tool))
    assert response.status_code == 200
    assert response.context["form"].errors["invoice_number"]
    assert Purchase.objects.count() == 1


# --- the single-purchase form ----------------------------------------------------------------------


def test_the_form_names_the_invoice_field_in_chinese_and_keeps_what_was_typed(client, grant, labstaff, tool):
    client.force_login(labstaff)
    assert client.post(ADD, _form(grant, tool)).status_code == 302
    typed = _form(
        grant, tool, slug="3d-scanner", quantity="3", unit_cost="8999.50", supplier="深圳市先临三维"
    )
    response = client.post(ADD, typed)
    assert response.status_code == 200
    html = response.content.decode()
    assert "发票 25442000000012345678 已登记在本校的采购中" in html and "同一发票续行" in html
    assert _field_has_error(html, "invoice_number")
    assert not _field_has_error(html, "supplier") and not _field_has_error(html, "unit_cost")
    # Everything typed is still on the form.
    for value in ("深圳市先临三维", "8999.50", INVOICE, typed["purchased_on"]):
        assert f'value="{value}"' in html, value
    assert re.search(r'name="quantity"[^>]*value="3"|value="3"[^>]*name="quantity"', html)
    assert re.search(rf'<option value="{typed["tool_type"]}" selected>', html)
    assert re.search(rf'<option value="{grant.pk}" selected[ >]', html)  # then the live totals' data-
    assert Purchase.objects.count() == 1 and Grant.objects.get(pk=grant.pk).charged == Decimal("9998.00")


def test_the_form_records_a_further_line_of_that_invoice_when_ticked(client, grant, labstaff, tool):
    client.force_login(labstaff)
    assert client.post(ADD, _form(grant, tool)).status_code == 302
    form = _form(grant, tool, slug="pla-filament", quantity="10", unit_cost="69.00")
    asked = client.post(ADD, form)
    assert asked.status_code == 200 and 'name="continues_invoice"' in asked.content.decode()
    done = client.post(ADD, {**form, "continues_invoice": "on"})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert list(Purchase.objects.order_by("pk").values_list("invoice_number", flat=True)) == [
        INVOICE,
        INVOICE,
    ]
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("10688.00")


def test_the_form_keeps_the_self_funded_tick_when_the_invoice_is_refused(
    client, make_grant, room, labstaff, tool
):
    grant = make_grant(room, amount="5000.00")
    client.force_login(labstaff)
    assert client.post(ADD, _form(grant, tool, quantity="1")).status_code == 302  # 1.00 left
    response = client.post(ADD, _form(grant, tool, quantity="1", confirm_self_funded="on"))
    assert response.status_code == 200 and response.context["form"].errors["invoice_number"]
    assert re.search(
        r'name="confirm_self_funded"[^>]*checked|checked[^>]*name="confirm_self_funded"',
        response.content.decode(),
    )
    done = client.post(
        ADD, _form(grant, tool, quantity="1", confirm_self_funded="on", continues_invoice="on")
    )
    assert done.status_code == 302
    assert Grant.objects.get(pk=grant.pk).charged == Decimal("5000.00")


# --- editing a purchase's paperwork ----------------------------------------------------------------


def _edit(purchase, **fields):
    return {
        "supplier": purchase.supplier,
        "invoice_number": purchase.invoice_number,
        **fields,
    }


def test_editing_the_invoice_number_to_one_already_recorded_is_refused_unless_marked(
    client, grant, labstaff, tool
):
    first = services.record_purchase(**_line(grant, labstaff, tool))
    second = services.record_purchase(**_line(grant, labstaff, tool, invoice_number="A-2"))
    url = f"/admin/snippets/kits/purchase/edit/{second.pk}/"
    client.force_login(labstaff)
    refused = client.post(url, _edit(second, invoice_number=INVOICE, supplier="改过的供应商"))
    assert refused.status_code == 200
    html = refused.content.decode()
    assert _field_has_error(html, "invoice_number") and "已登记在本校的采购中" in html
    assert 'value="改过的供应商"' in html
    second.refresh_from_db()
    assert (second.invoice_number, second.supplier) == ("A-2", first.supplier)
    done = client.post(url, _edit(second, invoice_number=INVOICE, continues_invoice="on"))
    assert done.status_code == 302, done.content.decode()[:2000]
    second.refresh_from_db()
    assert second.invoice_number == INVOICE


def test_a_further_line_keeps_its_invoice_when_other_paperwork_is_edited(client, grant, labstaff, tool):
    services.record_purchase(**_line(grant, labstaff, tool))
    second = services.record_purchase(**_line(grant, labstaff, tool), continues_invoice=True)
    client.force_login(labstaff)
    url = f"/admin/snippets/kits/purchase/edit/{second.pk}/"
    invoice = SimpleUploadedFile("发票.pdf", b"%PDF-1.4 invoice", content_type="application/pdf")
    done = client.post(
        url, {**_edit(second, supplier="深圳市拓竹科技有限公司（南山）"), "invoice_file": invoice}
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    second.refresh_from_db()
    assert second.supplier == "深圳市拓竹科技有限公司（南山）" and second.invoice_file
    assert second.invoice_number == INVOICE


@pytest.mark.django_db(transaction=True)
def test_the_same_invoice_entered_at_the_same_moment_on_two_grants_is_charged_once(
    make_grant, room, labstaff, tool, programme
):
    """Eight people enter one invoice at once, on the school's two grants. On PostgreSQL from eight
    threads (the school row lock makes them queue); SQLite serialises writers, so there one by one."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    grants = [
        make_grant(room),
        make_grant(room, amount="100000.00", programme=type(programme).objects.get(slug="shared-equipment")),
    ]
    on_postgres = connection.vendor == "postgresql"

    def attempt(n):
        try:
            services.record_purchase(**_line(grants[n % 2], labstaff, tool, slug="multimeter"))
            return "accepted"
        except ValidationError as error:
            assert error.error_dict["invoice_number"][0].code == "duplicate_invoice"
            return "refused"
        finally:
            if on_postgres:
                connections.close_all()

    if on_postgres:
        with ThreadPoolExecutor(max_workers=8) as pool:
            outcomes = list(pool.map(attempt, range(8)))
    else:
        outcomes = [attempt(n) for n in range(8)]
    assert outcomes.count("accepted") == 1
    assert Purchase.objects.filter(invoice_number=INVOICE).count() == 1
    assert sum(Grant.objects.values_list("charged", flat=True)) == Purchase.objects.get().subsidy
