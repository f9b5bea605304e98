"""Issue 16, the lend form: the borrower list holds the school's own people only — never the platform
administrator, even one whose account names the school — in name order, and the due date starts at
the school's usual loan period instead of an empty field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from makerroom.core import roles

from kits.forms import DEFAULT_LOAN_DAYS

pytestmark = pytest.mark.django_db


def test_borrowers_are_the_schools_people_and_the_due_date_has_a_default(
    client, labstaff, make_user, school, other_school, django_user_model
):
    make_user("xiaoming", role=roles.Role.STUDENT, school=school, display_name="小明")
    make_user("li", role=roles.Role.TEACHER, school=school, display_name="李老师")
    make_user("gang", role=roles.Role.STUDENT, school=other_school, display_name="小刚")
    admin = django_user_model.objects.create_superuser("root", password="pass-w0rd-123")
    admin.school = school
    admin.save(update_fields=["school"])

    client.force_login(labstaff)
    response = client.get(reverse("kits_admin:lend"))
    assert response.status_code == 200
    borrowers = {user.username for user in response.context["form"].fields["borrower"].queryset}
    assert borrowers == {"wang", "xiaoming", "li"}

    html = response.content.decode()
    due = (timezone.localdate() + timedelta(days=DEFAULT_LOAN_DAYS)).isoformat()
    assert f'value="{due}"' in html


def test_a_kit_lent_to_a_class_names_one_of_the_schools_classes(client, labstaff, school, other_school, kit):
    from courses.classes.models import SchoolClass
    from kits.models import Loan

    SchoolClass.objects.create(school=school, name="初二（3）班", grade=8, school_year="2026-2027")
    SchoolClass.objects.create(school=school, name="七年级（1）班 创客社团", grade=7, school_year="2026-2027")
    SchoolClass.objects.create(school=other_school, name="五年级（2）班", grade=5, school_year="2026-2027")
    client.force_login(labstaff)
    field = client.get(reverse("kits_admin:lend")).context["form"]["class_name"].field
    offered = [value for value, _label in field.choices if value]
    assert sorted(offered) == ["七年级（1）班 创客社团", "初二（3）班"]  # not another school's

    base = {"kit": kit.pk, "borrower_kind": "class", "due_on": timezone.localdate().isoformat()}
    typed = client.post(reverse("kits_admin:lend"), {**base, "class_name": "五年级（2）班"})
    assert typed.status_code == 200 and "class_name" in typed.context["form"].errors
    assert not Loan.objects.exists()
    client.post(reverse("kits_admin:lend"), {**base, "class_name": "初二（3）班"})
    assert Loan.objects.get().class_name == "初二（3）班"


def test_a_school_without_classes_in_the_site_types_the_class(client, labstaff):
    client.force_login(labstaff)
    field = client.get(reverse("kits_admin:lend")).context["form"]["class_name"].field
    assert not hasattr(field, "choices")
