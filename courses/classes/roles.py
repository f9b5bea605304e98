"""Teachers run classes; students need no model permission (they only see their own records)."""

from makerroom.accounts import roles

ROLE_PERMISSIONS = {
    roles.TEACHER: ["classes.add_schoolclass", "classes.change_schoolclass", "classes.view_schoolclass"],
}
