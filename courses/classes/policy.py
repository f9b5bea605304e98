"""Who may do what with classes, memberships, progress, student accounts, the dashboard and the
students' saved lesson code: the one place that says it. Services, views, template tags and the
admin menu ask these functions; none decides by itself.

The rules:

* A class is run by its **teachers** (SchoolClass.teachers) who belong to the class's school
  (`makerroom.core.policy.in_school`); superusers may do anything. Other teachers, even of the same
  school, see nothing of a class they do not teach.
* Only **student accounts** (`makerroom.core.roles.is_student`) are in classes. A teacher controls
  (resets the password of, deletes) only a student who is *now* in a class they teach: once the
  student leaves, the teacher keeps the records but no control over the account.
* A student sees their own classes (their classmates' display names) and their own progress;
  progress is always the visitor's own, so any logged-in account may record its own.
* The dashboard and its exports: a class's teachers, for courses assigned to the class.
* A student's saved lesson code: the student, and the teachers of a class the student is in now.
* A student's personal data may be erased by the student or by a teacher who controls them.
"""

from django.db.models import Exists, OuterRef
from makerroom.core.policy import in_school, is_superuser, require
from makerroom.core.roles import Role, has_role, is_student

from .models import Membership, SchoolClass


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


# --- classes --------------------------------------------------------------------------------------


def teaches(user, school_class):
    """The user runs this class: one of its teachers, at the class's school (or a superuser)."""
    if is_superuser(user):
        return True
    if not _active(user) or not in_school(user, school_class.school_id):
        return False
    return school_class.teachers.filter(pk=user.pk).exists()


def teaching_expression(user, class_ref="pk"):
    """The same rule as `teaches`, as a subquery for annotating a queryset (one query for a page)."""
    return Exists(
        SchoolClass.teachers.through.objects.filter(
            schoolclass_id=OuterRef(class_ref),
            user_id=user.pk,
            schoolclass__school_id=user.school_id,
        )
    )


def can_create_class(user):
    return _active(user) and user.has_perm("classes.add_schoolclass")


def can_list_classes(user):
    """The "My classes" page and menu item: teachers (who may create classes) and superusers."""
    return can_create_class(user) or is_superuser(user)


def can_view_class(user, school_class):
    return teaches(user, school_class) or is_member(user, school_class)


def can_change_class(user, school_class):
    """Rotate the code, print the join sheet, add teachers, assign courses, set due dates, add students."""
    return teaches(user, school_class)


def classes_taught_by(user, queryset=None):
    """The classes the user runs (the scope of "My classes")."""
    queryset = SchoolClass.objects.all() if queryset is None else queryset
    if is_superuser(user):
        return queryset
    if not _active(user) or user.school_id is None:
        return queryset.none()
    return queryset.filter(teachers=user, school_id=user.school_id)


def may_teach_in(teacher, school_class):
    """Who can be added as a teacher of the class: a teacher of the class's school."""
    return has_role(teacher, Role.TEACHER) and in_school(teacher, school_class.school_id)


# --- memberships ------------------------------------------------------------------------------------


def is_member(user, school_class):
    """The user is in the class now (left members are not)."""
    return (
        _active(user)
        and Membership.objects.active().filter(school_class=school_class, student_id=user.pk).exists()
    )


def may_join(student, school_class):
    """Only student accounts join a class, and only a class of their own school (a new account takes
    the class's school). A teacher's or staff account in a class would let its teachers reset it."""
    return is_student(student) and (student.school_id is None or in_school(student, school_class.school_id))


def can_leave(user, school_class):
    return is_member(user, school_class)


# --- student accounts ---------------------------------------------------------------------------------


def controls_student(user, school_class, student):
    """The user may reset the student's password and delete the student's data: a teacher of the
    class, the student a student account now in that class."""
    return teaches(user, school_class) and is_student(student) and is_member(student, school_class)


def can_reset_password(user, school_class, student):
    return controls_student(user, school_class, student)


def can_erase_student(user, student, school_class=None):
    """ "Delete my data": the student themself, or a teacher who controls them through a class."""
    if not is_student(student):
        return False
    if _active(user) and user.pk == student.pk:
        return True
    return school_class is not None and controls_student(user, school_class, student)


def check_controls_student(user, school_class, student):
    require(controls_student(user, school_class, student))


def check_erase_student(user, student, school_class=None):
    require(can_erase_student(user, student, school_class))


# --- progress ------------------------------------------------------------------------------------------


def can_record_progress(user):
    """Ticks, completions and answers are always the visitor's own: any logged-in account."""
    return _active(user)


def can_see_answer(user, *, answered):
    """The correct choice and the explanation of a "check your understanding" question: only to a
    student who has answered it (else the first-try results the teacher sees are worth nothing)."""
    return _active(user) and answered


# --- the dashboard and its exports ----------------------------------------------------------------------


def can_view_dashboard(user, school_class, *, is_teacher=None):
    """A class's teachers; `is_teacher` is `teaching_expression` read with the assignment (no query)."""
    if is_superuser(user):
        return True
    if is_teacher is None:
        return teaches(user, school_class)
    return bool(is_teacher) and _active(user)


def check_view_dashboard(user, school_class, *, is_teacher=None):
    require(can_view_dashboard(user, school_class, is_teacher=is_teacher))


def can_export_dashboard(user, school_class, *, is_teacher=None):
    return can_view_dashboard(user, school_class, is_teacher=is_teacher)


# --- a student's saved lesson code (the workbench's workspace) ---------------------------------------------


def teaches_student(user, student):
    """The user teaches a class the student is in now."""
    if is_superuser(user):
        return True
    if not _active(user) or user.school_id is None:
        return False
    return (
        Membership.objects.active()
        .filter(student_id=student.pk, school_class__teachers=user, school_class__school_id=user.school_id)
        .exists()
    )


def can_view_code(user, student, lesson):
    """The student's own code, and that of a student in a class the user teaches."""
    if student is None:
        return False
    if _active(user) and user.pk == student.pk:
        return True
    return teaches_student(user, student)


def can_save_code(user, student, lesson):
    """Only the account itself stores its code (a teacher reads a student's, never writes it);
    visitors without an account run code, but nothing is stored."""
    return _active(user) and student is not None and user.pk == student.pk
