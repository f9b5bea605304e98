"""Who may see and save a student's lesson code, in the terms the workspace's views, services and
template tags ask it (a workspace, a lesson). The rule itself is the classes policy's
(courses.classes.policy: can_view_code, can_save_code): who teaches which student is decided
there and nowhere else; these functions only ask it.
"""

from courses.classes import policy as classes_policy


def can_save_code(user, lesson) -> bool:
    """Any logged-in, active account keeps its own code for a lesson it can see; visitors
    without an account edit and run, but nothing is stored."""
    return classes_policy.can_save_code(user, user, lesson)


def can_view_code(user, workspace) -> bool:
    """A student sees only their own code; a teacher sees the code of the students in the classes
    they teach."""
    return classes_policy.can_view_code(user, workspace.student, workspace.lesson)


def can_comment_code(user, workspace) -> bool:
    """Teachers of the student's class comment on it; the student reads the comment."""
    return bool(user and user.is_authenticated and workspace.student_id != user.pk) and can_view_code(
        user, workspace
    )
