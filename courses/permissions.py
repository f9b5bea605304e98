"""Teachers edit only their own school's courses.

A course belongs to a school (CoursePage.school); its lessons belong to the course's school. Wagtail's
page permissions (GroupPagePermission on the course index) say *what* a teacher may do; this tester adds
*where*: on another school's course or lesson a teacher may do nothing but look. Reviewers
(教研组长) work across schools; superusers do anything.
"""

from makerroom.core.roles import Role, has_role
from wagtail.models import PagePermissionTester


def works_across_schools(user):
    if user.is_superuser:
        return True
    return has_role(user, Role.REVIEWER)


def may_edit_school(user, school_id):
    return works_across_schools(user) or (school_id is not None and user.school_id == school_id)


class SchoolPagePermissionTester(PagePermissionTester):
    def __init__(self, user, page):
        super().__init__(user, page)
        self.other_school = user.is_active and not may_edit_school(user, page.course_school_id)

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

    def can_copy(self):
        return self._own(super().can_copy())
