"""Roles of the courses app: teachers write courses and lessons, 教研组长 review and publish them.

Model permissions live here; where in the page tree each group may act (page and collection
permissions) and the review workflow are set up by courses.publishing.
"""

REVIEWER = "教研组长"

ROLE_PERMISSIONS = {
    REVIEWER: ["wagtailadmin.access_admin"],
}
