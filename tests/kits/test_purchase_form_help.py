"""Issue 16, the purchase form: a room's only grant is chosen already, and the message after saving
says what was made — the asset tags of durable tools, or what went into stock."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from kits.models import Asset, GrantStatus

pytestmark = pytest.mark.django_db
ADD = "/admin/snippets/kits/purchase/add/"


def test_the_only_grant_is_preselected_and_two_are_left_to_choose(client, labstaff, make_grant, room):
    grant = make_grant(room, amount="50000.00")
    make_grant(room, amount="1000.00", status=GrantStatus.APPLIED)  # not approved: not a choice
    client.force_login(labstaff)
    assert client.get(ADD).context["form"]["grant"].value() == grant.pk

    make_grant(room, amount="2000.00")
    assert client.get(ADD).context["form"]["grant"].value() is None  # two to choose from


def test_the_message_names_the_asset_tags_made(client, labstaff, make_grant, room, tool):
    grant = make_grant(room, amount="50000.00")
    client.force_login(labstaff)
    response = client.post(
        ADD,
        {
            "grant": grant.pk,
            "tool_type": tool("fdm-printer").pk,
            "quantity": "3",
            "unit_cost": "4999.00",
            "supplier": "深圳市拓竹科技有限公司",
            "invoice_number": "25442000000012345601",
            "purchased_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    tags = list(Asset.objects.order_by("tag").values_list("tag", flat=True))
    assert len(tags) == 3
    message = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert f"{tags[0]}…{tags[-1]}" in message
    assert "3" in message


def test_the_import_form_preselects_the_only_grant_too(client, labstaff, make_grant, room):
    grant = make_grant(room, amount="50000.00")
    client.force_login(labstaff)
    response = client.get("/admin/kits/import/")
    assert response.context["form"]["grant"].value() == grant.pk
