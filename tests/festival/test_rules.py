"""The age-group check reads a student's grade from their current class (courses.classes)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.classes import services as classes
from festival.rules import student_grade

from .conftest import make_entry

pytestmark = pytest.mark.django_db


def _class(teacher, grade, year="2026-2027", name="创客社团"):
    return classes.create_class(teacher=teacher, name=f"{grade}年级{name}", grade=grade, school_year=year)


def test_grade_comes_from_the_current_class(people):
    student, teacher = people["s1"], people["mentor"]
    assert student_grade(student) is None
    old = _class(teacher, 7, year="2025-2026")
    classes.enrol(old, student)
    assert student_grade(student) == 7
    new = _class(teacher, 8)
    classes.enrol(new, student)
    assert student_grade(student) == 8  # the newest school year
    membership = new.memberships.get(student=student)
    membership.left_at = timezone.now()
    membership.save()
    assert student_grade(student) == 7  # left the new class: back to the one still attended


def test_age_group_checked_against_grades(edition, people):
    teacher = people["mentor"]
    classes.enrol(_class(teacher, 8), people["s1"])
    classes.enrol(_class(teacher, 11, name="高中部"), people["s2"])  # a senior student at a 9-year school
    with pytest.raises(ValidationError) as error:
        make_entry(edition, people)  # 初中 takes grades 7–9
    assert "小雨 is in grade 11; 初中 takes grades 7–9." in error.value.messages
    assert not any("小林" in m for m in error.value.messages)
    make_entry(edition, people, students=("s1",))


def test_the_registration_form_preselects_the_age_group(edition, people):
    from festival.forms import EntryForm
    from festival.rules import fitting_age_group

    student = people["s1"]

    def preselected():
        return EntryForm(edition=edition, school=student.school, owner=student).fields["age_group"].initial

    assert preselected().name == "初中"  # no class: the school's stage (junior)
    classes.enrol(_class(people["mentor"], 11, name="高中部"), student)
    assert preselected().name == "高中"  # the grade of the current class wins
    assert fitting_age_group(edition, people["senior"]).name == "高中"
