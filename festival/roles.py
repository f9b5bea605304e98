"""Roles of the festival: organisers run it (the festival pages in the admin, judges, acceptance,
assignment, awards); judges score the entries assigned to them on the public site. Students and
mentor teachers act on their own entries, which services.py checks entry by entry, so they need
no model permissions."""

from makerroom.core import roles

ROLE_PERMISSIONS = {
    roles.Role.ORGANISER: [
        "festival.organise_festival",
        "festival.add_judge",
        "festival.change_judge",
        "festival.delete_judge",
        "festival.view_judge",
    ],
    roles.Role.JUDGE: [],
}
