"""Eligibility rules that depend on other apps: a student's grade and the age-group check.

The grade comes from the student's current class (courses.classes). A student in no class (or
a site without the classes app) has no known grade, and the check falls back to the school's stage.
"""

from django.apps import apps
from django.utils.translation import gettext as _


def student_grade(user):
    """The grade (1–12) of the student's current class (the newest school year they have not
    left), or None when it is not known."""
    try:
        Membership = apps.get_model("classes", "Membership")
    except LookupError:  # the classes app is not installed
        return None
    return (
        Membership.objects.filter(student=user, left_at__isnull=True)
        .order_by("-school_class__school_year", "-joined_at")
        .values_list("school_class__grade", flat=True)
        .first()
    )


def current_class_names(student_ids):
    """{student id: the name of their current class} (the newest school year they have not left);
    students in no class are left out."""
    try:
        Membership = apps.get_model("classes", "Membership")
    except LookupError:  # the classes app is not installed
        return {}
    names = {}
    rows = (
        Membership.objects.filter(student_id__in=student_ids, left_at__isnull=True)
        .order_by("student_id", "-school_class__school_year", "-joined_at")
        .values_list("student_id", "school_class__name")
    )
    for student_id, name in rows:
        names.setdefault(student_id, name)
    return names


def age_group_problems(students, age_group):
    """Messages naming each student who does not fit the age group (empty list: all fit)."""
    problems = []
    for student in students:
        grade = student_grade(student)
        if grade is not None:
            if not age_group.min_grade <= grade <= age_group.max_grade:
                problems.append(
                    _("%(name)s is in grade %(grade)s; %(group)s takes grades %(low)s–%(high)s.")
                    % {
                        "name": student.public_name,
                        "grade": grade,
                        "group": age_group.name,
                        "low": age_group.min_grade,
                        "high": age_group.max_grade,
                    }
                )
        elif student.school is not None and student.school.stage != age_group.stage:
            problems.append(
                _("%(name)s's school is a %(stage)s; %(group)s is for another school stage.")
                % {
                    "name": student.public_name,
                    "stage": student.school.get_stage_display(),
                    "group": age_group.name,
                }
            )
    return problems


def fitting_age_group(edition, student):
    """The edition's age group the student fits (by grade, else by the school's stage), or None:
    the registration form preselects it."""
    grade = student_grade(student)
    for group in edition.age_groups.all():
        if grade is not None and group.min_grade <= grade <= group.max_grade:
            return group
        if grade is None and student.school is not None and group.stage == student.school.stage:
            return group
    return None
