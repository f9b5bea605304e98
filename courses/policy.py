"""Who may do what with courses and lessons: the one place that says it.

Course and lesson pages live in the Wagtail page tree. Two questions make up every rule:

* *what* — Wagtail's page permissions on each course index (set up by courses.publishing):
  teachers add and change pages, reviewers (教研组长) also publish; pages go through the review
  workflow;
* *where* — a course belongs to a school (CoursePage.school) and its lessons to the course's school.
  On another school's course or lesson a teacher may do nothing but look. Reviewers work across
  schools; superusers do anything.

Reading is public: a live course or lesson without a view restriction is for everyone (the site,
the page cache and the read-only API show the same pages; `public_pages` is that rule).

Classes, memberships, progress, student accounts, the dashboard and the students' saved code are
the rules of courses.classes.policy.
"""

from makerroom.core.policy import in_school, is_superuser
from makerroom.core.roles import Role, has_role
from wagtail.models import PagePermissionTester

# --- where a user may write course pages ------------------------------------------------------


def works_across_schools(user):
    """Reviewers (教研组长) review and publish every school's courses; superusers do anything."""
    return is_superuser(user) or has_role(user, Role.REVIEWER)


def may_write_for_school(user, school_id):
    """The user may change course pages of this school (what they may do is Wagtail's page permission)."""
    return works_across_schools(user) or in_school(user, school_id)


def public_pages(queryset):
    """What every visitor (and the read-only API) may read: live pages without a view restriction."""
    return queryset.live().public()


# --- Wagtail asks this for every page action ---------------------------------------------------


class CoursePagePermissionTester(PagePermissionTester):
    """Wagtail's page permissions (what) narrowed to the course's school (where).

    CoursePage and LessonPage return it from `permissions_for_user`, so every admin view, button
    and bulk action Wagtail has for pages asks it."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.other_school = user.is_active and not may_write_for_school(user, page.course_school_id)

    def _own(self, allowed):
        return allowed and not self.other_school

    def can_add_subpage(self):
        return self._own(super().can_add_subpage())

    def can_edit(self):
        return self._own(super().can_edit())

    def can_delete(self, ignore_bulk=False):
        return self._own(super().can_delete(ignore_bulk=ignore_bulk))

    def can_unpublish(self):
        return self._own(super().can_unpublish())

    def can_publish(self):
        return self._own(super().can_publish())

    def can_submit_for_moderation(self):
        return self._own(super().can_submit_for_moderation())

    def can_lock(self):
        return self._own(super().can_lock())

    def can_publish_subpage(self):
        return self._own(super().can_publish_subpage())

    def can_reorder_children(self):
        return self._own(super().can_reorder_children())

    def can_move(self):
        return self._own(super().can_move())

    def can_move_to(self, destination):
        # Wagtail lets a "move" to the page's own parent through without asking can_move().
        return self._own(super().can_move_to(destination))

    def can_copy(self):
        return self._own(super().can_copy())
