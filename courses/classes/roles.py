"""Teachers run classes; students need no model permission (they only see their own records)."""

from makerroom.core import roles

ROLE_PERMISSIONS = {
    roles.Role.TEACHER: ["classes.add_schoolclass", "classes.change_schoolclass", "classes.view_schoolclass"],
}
