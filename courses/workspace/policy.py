"""Who may see and save a student's lesson code: the ONE place that decides it.

courses/policy.py (the app's permission policy, being written) will take these rules over;
until then every view and service asks these functions and decides nothing by itself.
"""


def can_save_code(user, lesson) -> bool:
    """Any logged-in, active account keeps its own code for a lesson it can see; visitors
    without an account edit and run, but nothing is stored."""
    return bool(user and user.is_authenticated and user.is_active)


def can_view_code(user, workspace) -> bool:
    """A student sees only their own code. (Teachers of the student's class: the dashboard step.)"""
    return bool(user and user.is_authenticated and workspace.student_id == user.pk)
