"""Roles of the courses app: teachers write courses and lessons, reviewers (教研组长) review and
publish them.

Both get the admin from the core's roles; where in the page tree each may act (page and collection
permissions) and the review workflow are set up by courses.publishing. Which school's pages they
may touch is courses.policy.
"""

ROLE_PERMISSIONS = {}
