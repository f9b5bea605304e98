"""Fill each route's parameters with real objects of the world (school A's, unless said otherwise).

The matrix asks every role about school A's rows: the "other_*" roles (school B's teacher, student
and lab staff) are then the cross-school attackers and the plain roles the owners, so one object
per route tests both sides. A route's `Case` says which object the URL is about (the policy is
asked about that object) and gives the path to request.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse

SNIPPET_PREFIXES = ("wagtailsnippets_", "wagtailsnippetchoosers_")


@dataclass
class Case:
    path: str
    obj: object = None  # what the URL is about (policy instance)
    model: type = None  # the model the URL is about
    data: dict = field(default_factory=dict)  # POST data when the view shows no form to copy


class Unfillable(Exception):
    """The route has a parameter the world has no value for."""


def snippet_model(route):
    """kits.Grant for "wagtailsnippets_kits_grant:edit" (None when not a snippet route)."""
    namespace = route.namespace.split(":")[0]
    for prefix in SNIPPET_PREFIXES:
        if namespace.startswith(prefix):
            for model in apps.get_models():
                meta = model._meta
                if namespace == f"{prefix}{meta.app_label}_{meta.model_name}":
                    return model
    return None


def world_object(world, model):
    """School A's row of `model`, or the first row for city-wide models."""
    by_model = {
        "kits.grant": world.a.grant,
        "kits.purchase": world.a.purchase,
        "kits.asset": world.a.asset,
        "kits.stock": world.a.stock,
        "kits.kit": world.a.kit,
        "kits.loan": world.a.loan,
        "kits.reservation": world.a.reservation,
        "kits.stocktake": world.a.stocktake,
        "kits.flashrecord": world.a.flash,
        "kits.makerroom": world.a.room,
        "kits.kittemplate": world.kit_template,
        "kits.fundingprogramme": world.programme,
        "festival.judge": world.judge,
        "festival.entry": world.a.entry,
        "classes.schoolclass": world.a.school_class,
        "core.school": world.a.school,
        "accounts.user": world.a.student,
    }
    label = model._meta.label_lower
    if label in by_model:
        return by_model[label]
    return model._default_manager.order_by("pk").first()


def _firmware_sha():
    from django.conf import settings
    from makerroom_flash.store import FirmwareStore

    images = FirmwareStore(settings.MAKERROOM_FIRMWARE_STORE).list()
    return images[0].sha256 if images else "0" * 64


def _lesson_version(slug):
    from firmware.library import load_lesson

    return load_lesson(slug).version


def _page_values(world):
    lesson = world.a.lessons[0]
    state = world.workflow_state
    return {
        "page_id": lesson.pk,
        "page_pk": world.course_index.pk,
        "page_to_move_id": lesson.pk,
        "parent_page_id": world.a.course.pk,
        "destination_id": world.a.course.pk,
        "revision_id": lesson.latest_revision_id,
        "content_type_app_name": "courses",
        "content_type_model_name": "lessonpage",
        "task_state_id": state.current_task_state.pk,
        "workflow_state_id": state.pk,
        "task_id": state.current_task_state.task_id,
        "action_name": "approve",
        "workflow_pk": state.workflow_id,
    }


def _values(route, world):
    """The value of each parameter name, for this route."""
    from django.contrib.auth.models import Group
    from wagtail.models import Locale, Site

    ns, name = route.namespace, route.url_name
    values = dict(_page_values(world))
    values.update(
        image_id=world.image.pk,
        document_id=world.document.pk,
        doc_id=world.document.pk,
        uploaded_file_id=0,
        filter_spec="original",
        redirect_id=world.redirect.pk,
        collection_id=world.collection.pk,
        lesson_id=world.a.lessons[0].pk,
        course_id=world.a.course.pk,
        user_id=world.a.student.pk,
        edition_pk=world.edition.pk,
        photo_pk=world.a.photo.pk,
        member_pk=world.a.member.pk,
        assignment_pk=world.judge_assignments[0].pk,
        token=world.a.entry.token,
        tag=world.a.asset.tag,
        slug="blink",
        # the flashing URLs: the world's firmware store image, the lesson's version, a 4 MB board
        sha256=_firmware_sha(),
        version=_lesson_version("blink"),
        megabytes=4,
        fmt="csv",
        session_id=0,
        workspace_id=0,  # no saved code in the world: tests/workbench/test_teacher_view.py covers it
        restriction_id=0,
        page_view_restriction_id=0,
        app_name="wagtailimages",
        model_name="image",
        app_label="kits",
        object_id=world.a.grant.pk,
        uidb64="MQ",
        token_str="x",
    )
    # `pk` and friends depend on whose URL it is.
    model = snippet_model(route)
    if model is not None:
        values["pk"] = world_object(world, model).pk
    elif ns.startswith("classes"):
        values["pk"] = world.a.school_class.pk
        values["job_id"] = world.job.pk
    elif ns == "festival":
        values["pk"] = world.a.entry.pk
    elif ns == "kits_admin":
        values["pk"] = {"return": world.a.loan.pk, "approve": world.a.grant.pk}.get(
            name, world.a.stocktake.pk
        )
    elif ns == "wagtailsites":
        values["pk"] = Site.objects.get(is_default_site=True).pk
    elif ns == "wagtaillocales":
        values["pk"] = Locale.objects.get(language_code="zh-hans").pk
    elif ns == "wagtailusers_users":
        values["pk"] = world.a.student.pk
    elif ns == "wagtailusers_groups":
        values["pk"] = Group.objects.get(role__code="teacher").pk
    elif ns == "wagtailadmin_collections":
        values["pk"] = world.collection.pk
    elif ns == "wagtailadmin_workflows":
        values["pk"] = world.task.pk if "task" in name else world.workflow_state.workflow_id
    elif ns == "jobs":
        values["pk"] = world.job.pk
    elif ns.startswith("wagtailapi:images") or ns.startswith("wagtailadmin_api:images"):
        values["pk"] = world.image.pk
    elif ns.startswith("wagtailadmin_api:documents"):
        values["pk"] = world.document.pk
    elif (
        ns.startswith("wagtailadmin_api")
        or ns.startswith("wagtailapi:pages")
        or ns.startswith("wagtailapi:lessons")
    ):
        values["pk"] = world.a.lessons[0].pk
        values["action_name"] = "copy"
    elif ns.startswith("wagtailapi:courses"):
        values["pk"] = world.a.course.pk
    elif ns.startswith("wagtailapi:images") or ns.startswith("wagtailadmin_api:images"):
        values["pk"] = world.image.pk
    elif ns.startswith("wagtailadmin_api:documents"):
        values["pk"] = world.document.pk
    elif ns == "wagtailimages_chooser":
        values["pk"] = world.image.pk
    elif ns == "wagtaildocs_chooser":
        values["pk"] = world.document.pk
    elif name == "revisions_compare":
        values.update(pk=world.a.lessons[0].pk, revision_id_a="earliest", revision_id_b="latest")
    elif name == "wagtail_bulk_action":
        values.update(app_label="kits", model_name="grant", action="delete")
    elif ns == "simple_translation":
        values.update(app_label="kits", model_name="grant", pk=world.a.grant.pk)
    elif name == "choose_parent":
        values.update(app_label="courses", model_name="lessonpage")
    elif ns == "wagtailadmin_workflows" and name == "add_task":
        values.update(app_label="wagtailcore", model_name="groupapprovaltask")
    elif ns == "wagtailadmin_editing_sessions":
        values.update(app_label="courses", model_name="lessonpage", object_id=world.a.lessons[0].pk)
    if ns == "wagtailadmin_workflows" and name == "add_task":
        values.update(app_label="wagtailcore", model_name="groupapprovaltask")
    if name == "wagtail_bulk_action":
        values.update(app_label="kits", model_name="grant", action="delete")
    if ns == "wagtailsettings":
        values.update(app_name="wagtailcore", model_name="site", pk=0)
    if ns == "admin":
        values.update(
            object_id=world.a.student.pk, id=world.a.student.pk, content_type_id=0, app_label="auth"
        )
    return values


# Positional (regex group without a name) routes.
POSITIONAL = {
    "wagtaildocs_serve": lambda world: (world.document.pk, world.document.filename),
    "wagtail_serve": lambda world: (world.a.lessons[0].url.strip("/") + "/",),
}

# Query strings some views need to do anything.
QUERIES = {
    "wagtail_bulk_action": lambda world: f"?id={world.a.grant.pk}",
    "wagtailadmin_pages:move_confirm": lambda world: "",
}


# POST fields added to the copied form: the button a user would press.
EXTRA_POST = {"kits_admin:stocktake": {"finish": ["1"]}}


def case_for(route, world):
    """The Case to request for `route`, or raise Unfillable."""
    from tests.matrix.expectations import EXPLICIT_PATHS

    if route.name in EXPLICIT_PATHS:
        path = EXPLICIT_PATHS[route.name](world)
    elif route.url_name == "" and not route.params:
        path = "/" + route.pattern.lstrip("^").rstrip("$")
    elif route.url_name == "" and "(" not in route.pattern:
        # Django admin's "<path:object_id>/" redirects: object 1 of that model.
        path = "/" + re.sub(r"<[^>]+>", "1", route.pattern)
    elif route.url_name == "":
        raise Unfillable(route.pattern)
    elif route.name.split("[")[0] in POSITIONAL:
        path = reverse(route.name.split("[")[0], args=POSITIONAL[route.name.split("[")[0]](world))
    else:
        values = _values(route, world)
        try:
            kwargs = {param: values[param] for param in route.params}
        except KeyError as missing:
            raise Unfillable(f"no value for {missing}") from None
        try:
            path = reverse(route.name.split("[")[0], kwargs=kwargs)
        except NoReverseMatch as error:
            raise Unfillable(str(error)) from None
    query = QUERIES.get(route.name.split("[")[0])
    if query:
        path += query(world)
    model = snippet_model(route)
    obj = world_object(world, model) if model is not None and "pk" in route.params else None
    return Case(path=path, obj=obj, model=model, data=EXTRA_POST.get(route.name, {}))
