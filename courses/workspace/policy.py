"""Who may see and save a student's lesson code: the ONE place that decides it.

courses/policy.py (the app's permission policy, being written) will take these rules over;
until then every view and service asks these functions and decides nothing by itself.
"""


def can_save_code(user, lesson) -> bool:
    """Any logged-in, active account keeps its own code for a lesson it can see; visitors
    without an account edit and run, but nothing is stored."""
    return bool(user and user.is_authenticated and user.is_active)


def can_view_code(user, workspace) -> bool:
    """A student sees only their own code; a teacher sees the code of the students in the classes
    they teach (the classes app's own rule of who teaches a class)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if workspace.student_id == user.pk:
        return True
    return _teaches_student(user, workspace.student_id)


def can_comment_code(user, workspace) -> bool:
    """Teachers of the student's class comment on it; the student reads the comment."""
    return bool(user and user.is_authenticated and workspace.student_id != user.pk) and can_view_code(
        user, workspace
    )


def _teaches_student(user, student_id) -> bool:
    from courses.classes import policy as classes_policy
    from courses.classes.models import SchoolClass

    classes = SchoolClass.objects.filter(
        memberships__student_id=student_id, memberships__left_at__isnull=True, teachers=user
    ).select_related("school")
    return any(classes_policy.teaches(user, school_class) for school_class in classes)
