"""Issue 11, money: the 创客实践室 cap is per school, and only a city coordinator approves.

Lab staff of a school added three approved grants of 1,000,000 each to their own school; now they
can only apply, and the coordinator cannot approve more than 1,000,000 to one school in total."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from kits import services
from kits.models import FundingProgramme, Grant, GrantStatus, MakerRoom

pytestmark = pytest.mark.django_db

MILLION = Decimal("1000000.00")


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password="pass-w0rd-123")


def apply(room, user, programme, requested="600000.00", reference=""):
    return services.save_grant(
        Grant(
            programme=programme,
            room=room,
            reference=reference,
            requested_amount=Decimal(requested),
            starts_on=date(2025, 9, 1),
            ends_on=date(2027, 8, 31),
        ),
        user=user,
    )


def test_lab_staff_apply_and_the_coordinator_approves(room, labstaff, coordinator, programme):
    grant = apply(room, labstaff, programme)
    assert (grant.status, grant.approved_amount) == (GrantStatus.APPLIED, Decimal("0.00"))
    services.approve_grant(grant, amount="600000.00", reference="深科创〔2026〕3号", user=coordinator)
    grant.refresh_from_db()
    assert (grant.status, grant.approved_amount, grant.reference) == (
        GrantStatus.APPROVED,
        Decimal("600000.00"),
        "深科创〔2026〕3号",
    )
    services.close_grant(grant, user=coordinator)
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.CLOSED


def test_the_maker_room_cap_is_per_school(room, other_room, labstaff, coordinator, programme):
    assert programme.cap_applies == "school"
    first, second, third = (apply(room, labstaff, programme) for _ in range(3))
    services.approve_grant(first, amount="1000000.00", user=coordinator)
    with pytest.raises(ValidationError) as error:
        services.approve_grant(second, amount="0.01", user=coordinator)
    assert "每校上限" in " ".join(error.value.message_dict["approved_amount"])
    # Lowering the first makes room for the second, up to the cap together.
    services.approve_grant(first, amount="400000.00", user=coordinator)
    services.approve_grant(second, amount="600000.00", user=coordinator)
    with pytest.raises(ValidationError):
        services.approve_grant(third, amount="0.01", user=coordinator)
    # A closed grant still counts against the cap.
    services.close_grant(first, user=coordinator)
    with pytest.raises(ValidationError):
        services.approve_grant(third, amount="1.00", user=coordinator)
    # Another school has its own 1,000,000.
    services.approve_grant(apply(other_room, coordinator, programme), amount="1000000.00", user=coordinator)
    approved = Grant.objects.filter(room__school=room.school, status__in=["approved", "closed"])
    assert sum(g.approved_amount for g in approved) == MILLION
    assert Grant.objects.get(pk=third.pk).status == GrantStatus.APPLIED


def test_the_per_school_cap_holds_for_superusers_saving_the_grant_form_too(
    client, room, superuser, programme, make_grant
):
    make_grant(room, amount="700000.00")
    client.force_login(superuser)
    response = client.post(
        "/admin/snippets/kits/grant/add/",
        {
            "programme": programme.pk,
            "room": room.pk,
            "reference": "",
            "approved_amount": "300000.01",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "status": "approved",
        },
    )
    assert response.status_code == 200 and "每校上限" in response.content.decode()
    assert Grant.objects.count() == 1


def test_project_programmes_cap_each_grant(room, labstaff, coordinator):
    project = FundingProgramme.objects.get(slug="maker-project")
    assert project.cap_applies == "grant" and project.cap == Decimal("500000.00")
    for _ in range(2):
        services.approve_grant(apply(room, labstaff, project), amount="500000.00", user=coordinator)
    with pytest.raises(ValidationError):
        services.approve_grant(apply(room, labstaff, project), amount="500000.01", user=coordinator)


def test_lab_staff_change_no_status_and_no_approved_amount_through_the_services(
    room, labstaff, programme, grant
):
    with pytest.raises(PermissionDenied):
        services.approve_grant(apply(room, labstaff, programme), amount="1.00", user=labstaff)
    with pytest.raises(PermissionDenied):
        services.close_grant(grant, user=labstaff)
    sneaky = Grant(
        programme=programme,
        room=room,
        approved_amount=MILLION,
        status=GrantStatus.APPROVED,
        starts_on=date(2025, 9, 1),
        ends_on=date(2027, 8, 31),
    )
    with pytest.raises(ValidationError) as error:
        services.save_grant(sneaky, user=labstaff)
    assert set(error.value.message_dict) == {"status", "approved_amount"}
    for field, value in (("approved_amount", Decimal("999999.00")), ("status", GrantStatus.CLOSED)):
        changed = Grant.objects.get(pk=grant.pk)
        setattr(changed, field, value)
        with pytest.raises(ValidationError) as error:
            services.save_grant(changed, user=labstaff)
        assert field in error.value.message_dict
    grant.refresh_from_db()
    assert (grant.status, grant.approved_amount) == (GrantStatus.APPROVED, MILLION)


def test_lab_staff_change_no_status_and_no_approved_amount_in_the_admin(client, room, labstaff, programme):
    client.force_login(labstaff)
    form = {
        "programme": programme.pk,
        "room": room.pk,
        "reference": "",
        "requested_amount": "800000.00",
        "approved_amount": "1000000.00",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "status": "approved",
    }
    response = client.post("/admin/snippets/kits/grant/add/", form)
    assert response.status_code == 302
    grant = Grant.objects.get()
    assert (grant.status, grant.approved_amount, grant.requested_amount) == (
        GrantStatus.APPLIED,
        Decimal("0.00"),
        Decimal("800000.00"),
    )
    response = client.post(f"/admin/snippets/kits/grant/edit/{grant.pk}/", {**form, "reference": "申请 1"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert (grant.status, grant.approved_amount, grant.reference) == (GrantStatus.APPLIED, 0, "申请 1")
    # The approval screen is the coordinator's.
    denied = client.get(f"/admin/kits/grants/{grant.pk}/approve/")
    assert denied.status_code == 302 and denied["Location"] == "/admin/"  # Wagtail's "denied"
    client.post(f"/admin/kits/grants/{grant.pk}/approve/", {"approved_amount": "800000.00"})
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.APPLIED


def test_the_coordinator_approves_on_the_approval_screen(client, room, labstaff, coordinator, programme):
    grant = apply(room, labstaff, programme, requested="800000.00")
    client.force_login(coordinator)
    page = client.get(f"/admin/kits/grants/{grant.pk}/approve/")
    assert page.status_code == 200 and "每校上限" in page.content.decode()
    refused = client.post(f"/admin/kits/grants/{grant.pk}/approve/", {"approved_amount": "1000000.01"})
    assert refused.status_code == 200 and Grant.objects.get(pk=grant.pk).status == GrantStatus.APPLIED
    response = client.post(f"/admin/kits/grants/{grant.pk}/approve/", {"approved_amount": "800000.00"})
    assert response.status_code == 302
    assert Grant.objects.get(pk=grant.pk).approved_amount == Decimal("800000.00")
    client.post(f"/admin/kits/grants/{grant.pk}/approve/", {"close": "1"})
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.CLOSED


def test_dashboard_and_city_report_show_the_cap_per_school(client, room, labstaff, coordinator, make_grant):
    make_grant(room, amount="600000.00")
    make_grant(room, amount="300000.00")
    client.force_login(labstaff)
    html = client.get("/admin/kits/dashboard/").content.decode()
    assert "每校上限" in html and "¥1,000,000.00" in html and "¥100,000.00" in html  # 900,000 approved
    client.force_login(coordinator)
    html = client.get("/admin/kits/city/").content.decode()
    assert "每校上限" in html and "¥900,000.00" in html
    text = client.get("/admin/kits/city/?format=csv").content.decode("utf-8-sig")
    header, row = (line.split(",") for line in text.strip().splitlines()[:2])
    assert header[4] == "每校上限（元）" and row[4:6] == ["1000000.00", "900000.00"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_grants_approved_at_the_same_moment_never_pass_the_school_cap(
    room, labstaff, coordinator, programme
):
    """Two coordinators approve 600,000 each for the same school at the same moment: the programme
    row lock makes the second wait and see the first, so exactly one is approved."""
    grants = [apply(room, labstaff, programme) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(grant):
        try:
            barrier.wait()
            services.approve_grant(grant, amount="600000.00", user=coordinator)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(g,)) for g in grants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["approved", "refused"]
    approved = Grant.objects.filter(room=room, status=GrantStatus.APPROVED)
    assert [g.approved_amount for g in approved] == [Decimal("600000.00")]
    assert MakerRoom.objects.count() == 1
