"""How courses get published: page permissions on each course index, image/document upload rights,
and the moderation workflow in which a 教研组长 approves what a teacher submits.

Everything here is idempotent: it runs after migrate, when a course index is created, and in the
demo seed (which also restores a database that transactional tests flushed).
"""

from django.contrib.auth.models import Permission
from django.db import transaction
from makerroom.core.roles import Role, role_group
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

WORKFLOW_NAME = "课程审核"
TASK_NAME = "教研组长审核"

# What each group may do under a course index. Teachers cannot publish: their pages go to review.
PAGE_PERMISSIONS = {
    Role.TEACHER: ["add_page", "change_page"],
    Role.REVIEWER: ["add_page", "change_page", "publish_page"],
}
COLLECTION_PERMISSIONS = [
    "wagtailimages.add_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.choose_document",
]


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def course_workflow():
    reviewers = role_group(Role.REVIEWER)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def ensure_course_publishing(index_pages=None):
    from .models import CourseIndexPage

    groups = {code: role_group(code) for code in PAGE_PERMISSIONS}
    root_collection = Collection.get_first_root_node()
    if root_collection is not None:
        for group in groups.values():
            for name in COLLECTION_PERMISSIONS:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(*name.split("."))
                )
    workflow = course_workflow()
    for index in index_pages if index_pages is not None else CourseIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
        for role, codenames in PAGE_PERMISSIONS.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[role], page=index, permission=_permission("wagtailcore", codename)
                )
    return workflow


def after_migrate(sender=None, using="default", **kwargs):
    if using == "default":
        ensure_course_publishing()
