"""What each role may do at each URL: the matrix compares every request with this.

Where a policy covers a URL the expectation is the policy's answer:

* snippet views of our models ask `expected_policy(model)` — the policy registered in Wagtail's
  `policy_registry` when it is a core `SchoolPolicy`, else the rule the core issue states (the model
  permission, and the row's school: own school to change, every school to read only for superusers
  and coordinators), so a model whose app has not registered its policy yet is held to that rule;
* page admin views ask the page's permission tester (Wagtail's page permissions plus the school rule
  of courses), and never let a user change another school's page.

Every other URL needs an entry in `RULES` (url name -> rule). A route without one fails the matrix:
a new URL must say who may use it. A rule is a function `rule(ask) -> True | False | EITHER`;
`ask` carries the role, user, world, case and HTTP method. `Rule(get, post)` gives POST its own rule.
"""

from dataclasses import dataclass

from django.urls import reverse

EITHER = "either"  # both outcomes are right (e.g. Wagtail's deliberate error page)

STUDENTS = {"student", "other_student"}
ADMIN_ROLES = {
    "teacher",
    "other_teacher",
    "reviewer",
    "labstaff",
    "other_labstaff",
    "coordinator",
    "organiser",
    "superuser",
}
SIGNED_IN = ADMIN_ROLES | STUDENTS | {"judge"}
EVERYONE = SIGNED_IN | {"anonymous"}


@dataclass
class Ask:
    role: str
    user: object  # None for anonymous
    world: object
    case: object
    route: object
    method: str


@dataclass(frozen=True)
class Rule:
    get: object
    post: object = None

    def __call__(self, ask):
        rule = self.post if ask.method == "POST" and self.post is not None else self.get
        return rule(ask)


def roles(*names):
    names = frozenset(names)
    return lambda ask: ask.role in names


BOARD_PEOPLE = roles(
    "student", "other_student", "teacher", "other_teacher", "labstaff", "other_labstaff", "superuser"
)


def everyone(ask):
    return True


def nobody(ask):
    return False


def either(ask):
    return EITHER


def signed_in(ask):
    return ask.role != "anonymous"


def admin_user(ask):
    """May enter the Wagtail admin at all."""
    return ask.user is not None and ask.user.has_perm("wagtailadmin.access_admin")


def perm(*codenames):
    """Admin access and any of these model permissions (superusers have all)."""
    return lambda ask: admin_user(ask) and any(ask.user.has_perm(name) for name in codenames)


def superuser(ask):
    return ask.role == "superuser"


def superuser_maybe(ask):
    """Nobody but a superuser; whether Wagtail or Django then has something to show them (an
    object, a free locale, a read-only admin) is not a permission question."""
    return EITHER if ask.role == "superuser" else False


def admin_maybe(ask):
    return EITHER if admin_user(ask) else False


def on_object(ask, label, action, get):
    """The model's policy on one object of the world: admin access, may view it, may do `action`."""
    from django.apps import apps

    if not admin_user(ask):
        return False
    policy = expected_policy(apps.get_model(label))
    obj = get(ask.world)
    return policy.user_has_permission_for_instance(ask.user, "view", obj) and (
        policy.user_has_permission_for_instance(ask.user, action, obj)
    )


POST_ONLY_REFUSED = roles()  # a GET to a POST-only view is refused (405) for everyone


# --- policies -----------------------------------------------------------------------------------

# The row's school, for models whose app has not registered a SchoolPolicy yet (the rule).
SCHOOL_PATHS = {
    "kits.makerroom": "school_id",
    "kits.grant": "room__school_id",
    "kits.purchase": "grant__room__school_id",
    "kits.asset": "room__school_id",
    "kits.stock": "room__school_id",
    "kits.kit": "school_id",
    "kits.loan": "school_id",
    "kits.reservation": "room__school_id",
    "kits.stocktake": "room__school_id",
    "kits.flashrecord": "kit__school_id",
}


def expected_policy(model):
    from makerroom.core.policy import SchoolPolicy
    from wagtail.permissions import policy_registry

    registered = policy_registry.get_by_type(model)
    if isinstance(registered, SchoolPolicy):
        return registered
    policy = SchoolPolicy(model)
    policy.school_path = SCHOOL_PATHS.get(model._meta.label_lower)
    return policy


# What each snippet view asks the policy. None: the view must not exist (copy is switched off).
SNIPPET_ACTIONS = {
    "list": "view",
    "list_results": "view",
    "add": "add",
    "edit": "change",
    "delete": "delete",
    "inspect": "view",
    "history": "view",
    "history_results": "view",
    "usage": "change",  # Wagtail's usage view asks "change"
    "copy": None,
    "choose": "view",
    "choose_results": "view",
    "chosen": "view",
    "chosen_multiple": "view",
    "create": "add",
}
OBJECT_VIEWS = {"edit", "delete", "inspect", "history", "history_results", "usage", "chosen"}
# Choosers open for every admin user; what they list is scoped (checked by listing_leaks).
CHOOSER_LISTINGS = {"choose", "choose_results", "chosen_multiple"}


def snippet_rule(ask):
    from tests.matrix.cases import snippet_model, world_object

    model = snippet_model(ask.route)
    action = SNIPPET_ACTIONS[ask.route.url_name]
    if action is None or ask.user is None or not admin_user(ask):
        return False
    policy = expected_policy(model)
    if ask.route.url_name in CHOOSER_LISTINGS:
        return True
    if ask.route.url_name in OBJECT_VIEWS:
        obj = world_object(ask.world, model)
        allowed = policy.user_has_permission_for_instance(ask.user, "view", obj) and (
            action == "view" or policy.user_has_permission_for_instance(ask.user, action, obj)
        )
        # A delete the policy allows may still be refused by the data (protected rows).
        if allowed and action == "delete" and ask.method == "POST":
            return EITHER
        # Wagtail's history view also asks for add/change/delete; opening it to read-only roles
        # (the coordinator) is each viewset's choice.
        if allowed and action == "view" and ask.route.url_name.startswith("history"):
            if not policy.user_has_any_permission(ask.user, ["add", "change", "delete"]):
                return EITHER
        return allowed
    return policy.user_has_permission(ask.user, policy._model_action(action))


def listing_leaks(ask, body):
    """For snippet listings and choosers the user may open: school A's row must not be listed to a
    user whose policy does not let them view it. Returns the leaked markers."""
    from tests.matrix.cases import snippet_model, world_object

    model = snippet_model(ask.route)
    if model is None or ask.route.url_name not in {
        "list",
        "list_results",
        "choose",
        "choose_results",
        "chosen_multiple",
    }:
        return []
    obj = world_object(ask.world, model)
    if expected_policy(model).user_has_permission_for_instance(ask.user, "view", obj):
        return []
    label = f"{model._meta.app_label}/{model._meta.model_name}"
    markers = [f"/admin/snippets/{label}/edit/{obj.pk}/", f"/admin/snippets/choose/{label}/chosen/{obj.pk}/"]
    return [m for m in markers if m in body]


# --- pages --------------------------------------------------------------------------------------

# Page admin views on school A's lesson: the tester method that decides each.
PAGE_ACTIONS = {
    "edit": "can_edit",
    "preview_on_edit": "can_edit",
    "view_draft": "can_edit",
    "add_subpage": "can_add_subpage",
    "add": "can_add_subpage",
    "preview_on_add": "can_add_subpage",
    "delete": "can_delete",
    "unpublish": "can_unpublish",
    "move": "can_move",
    "move_confirm": "can_move",
    "set_page_position": "can_reorder_children",
    "copy": "can_copy",
    "set_privacy": "can_set_view_restrictions",
    "lock": "can_lock",
    "unlock": "can_unlock",
    "revisions_revert": "can_edit",
    "revisions_unschedule": "can_unschedule",
}
# Reading a page's history, revisions and usage: Wagtail asks can_edit (or can_publish), which the
# courses tester refuses on another school's pages.
PAGE_READS = {
    "revisions_index",
    "revisions_view",
    "revisions_compare",
    "history",
    "history_results",
    "workflow_history",
    "workflow_history_detail",
    "usage",
}
WRITE_PAGE_ACTIONS = set(PAGE_ACTIONS) - {"add", "add_subpage", "preview_on_add"}


def _page_of(ask):
    name = ask.route.url_name
    if name in {"add", "add_subpage", "preview_on_add"}:
        return ask.world.a.course
    return ask.world.a.lessons[0]


def may_edit_school(user, school_id):
    """The issue's rule for school pages: superusers and reviewers work across schools; everyone
    else only on their own school's pages."""
    from makerroom.core.roles import Role, has_role

    return (
        user.is_superuser
        or has_role(user, Role.REVIEWER)
        or (school_id is not None and user.school_id == school_id)
    )


def page_rule(ask):
    if not admin_user(ask):
        return False
    name = ask.route.url_name
    page = _page_of(ask).specific
    tester = page.permissions_for_user(ask.user)
    if name in PAGE_READS:
        return tester.can_edit() or tester.can_publish()
    allowed = getattr(tester, PAGE_ACTIONS[name])()
    if name in WRITE_PAGE_ACTIONS or name.startswith("add"):
        allowed = allowed and may_edit_school(ask.user, page.course_school_id)
    return allowed


def reviewer_task(ask):
    """Acting on the review task: the reviewers' group (and superusers)."""
    return ask.role in {"reviewer", "superuser"}


# --- the explicit table ---------------------------------------------------------------------------

WAGTAIL_SUPERUSER_AREAS = (
    "wagtailsites",
    "wagtaillocales",
    "wagtailusers_users",
    "wagtailusers_groups",
    "wagtailadmin_collections",
    "wagtailadmin_workflows",
    "wagtailredirects",
    "wagtailsettings",
    "wagtailforms",
    "admin",  # Django's admin: superusers only (no role is staff)
)

KITS_ADMIN = {
    # Lab staff run their school's room; the coordinator reads (dashboard, city report).
    "kits_admin:dashboard": perm("kits.view_grant"),
    "kits_admin:purchases_export": perm("kits.view_purchase"),
    "kits_admin:city_report": roles("coordinator", "superuser"),
    "kits_admin:import": perm("kits.add_purchase"),
    # The pickers' searches: the catalogue is city-wide; assets are scoped to the user's school inside.
    "kits_admin:pick_tool_types": perm("kits.view_tooltype"),
    "kits_admin:pick_assets": perm("kits.view_asset"),
    # Labels and lending are a school's own (a user without a school names a room or tags).
    "kits_admin:labels": lambda ask: perm("kits.view_asset")(ask) and ask.user.school_id is not None,
    "kits_admin:loans": perm("kits.view_loan"),
    "kits_admin:lend": lambda ask: perm("kits.add_loan")(ask) and ask.user.school_id is not None,
    "kits_admin:return": lambda ask: on_object(ask, "kits.loan", "change", lambda w: w.a.loan),
    "kits_admin:stocktake_start": perm("kits.add_stocktake"),
    # Reading a stocktake is viewing it; scanning or finishing it (POST) is changing it.
    "kits_admin:stocktake": Rule(
        lambda ask: on_object(ask, "kits.stocktake", "view", lambda w: w.a.stocktake),
        post=lambda ask: on_object(ask, "kits.stocktake", "change", lambda w: w.a.stocktake),
    ),
}

CLASSES = {
    "classes:class_list": roles("teacher", "other_teacher", "superuser"),
    "classes:class_create": roles("teacher", "other_teacher", "superuser"),
    # The join form is open; joining (POST) needs a code, which the matrix does not send.
    "classes:join": Rule(everyone, post=everyone),
    "classes:my_courses": signed_in,
    "classes:class_detail": roles("teacher", "student", "superuser"),
    "classes:join_sheet": roles("teacher", "superuser"),
    "classes:rotate_code": Rule(nobody, post=roles("teacher", "superuser")),
    "classes:add_teacher": Rule(nobody, post=roles("teacher", "superuser")),
    "classes:assign": Rule(nobody, post=roles("teacher", "superuser")),
    "classes:due_dates": Rule(nobody, post=roles("teacher", "superuser")),
    "classes:dashboard": roles("teacher", "superuser"),
    "classes:export": roles("teacher", "superuser"),
    "classes:bulk_create": roles("teacher", "superuser"),
    # The world's job is not a bulk-student job of this class: the sheet is 404 for everyone
    # (tests/classes/test_jobs.py covers the owner seeing it once).
    "classes:bulk_sheet": nobody,
    "classes:reset_password": Rule(nobody, post=roles("teacher", "superuser")),
    "classes:delete_student": roles("teacher", "superuser"),
    "classes:leave": Rule(nobody, post=roles("student")),
    # "Delete my data": a student's own account.
    "classes:delete_my_data": Rule(roles("student", "other_student"), post=roles("student", "other_student")),
    "classes:mark_step": Rule(nobody, post=signed_in),  # always the visitor's own progress
    "classes:mark_steps_form": Rule(nobody, post=signed_in),  # always the visitor's own progress
    "classes:complete_lesson": Rule(nobody, post=signed_in),  # always the visitor's own progress
    "classes:answer": Rule(nobody, post=signed_in),  # always the visitor's own progress
}

FESTIVAL = {
    "festival:my_entries": signed_in,
    "festival:entry_create": Rule(roles("student", "other_student"), post=roles("student", "other_student")),
    # Entry A: its team (student), its mentor (teacher), organisers; judges score it elsewhere.
    "festival:entry": roles("student", "teacher", "organiser", "superuser"),
    "festival:entry_edit": roles("student", "organiser", "superuser"),
    "festival:entry_action": Rule(nobody, post=roles("student", "teacher", "organiser", "superuser")),
    "festival:photo_add": Rule(nobody, post=roles("student", "organiser", "superuser")),
    # Photos are the team's (and organisers'): the mentor follows the entry but does not change it.
    "festival:photo_delete": Rule(nobody, post=roles("student", "organiser", "superuser")),
    "festival:consent": Rule(nobody, post=roles("teacher", "organiser", "superuser")),
    # Entry A has no award (results unpublished): no certificate for anybody, and nothing to verify.
    "festival:certificate": nobody,
    # A photo file: public once the entry is public; entry A is still a draft.
    "festival:photo": roles("student", "teacher", "organiser", "superuser", "judge"),
    "festival:verify": nobody,
    "festival:judge_home": roles("judge"),
    "festival:score": roles("judge"),
    "festival:organise": roles("organiser", "superuser"),
    "festival:compute_assignment": Rule(nobody, post=roles("organiser", "superuser")),
    "festival:assignments": Rule(roles("organiser", "superuser"), post=either),
    "festival:results": Rule(roles("organiser", "superuser"), post=nobody),
    # Publishing results: organisers; GET shows the confirmation page, POST publishes (or shows
    # it again with the checks an override would skip). Withdrawing: organisers, by POST only.
    "festival:publish_results": Rule(roles("organiser", "superuser"), post=roles("organiser", "superuser")),
    "festival:withdraw_results": Rule(nobody, post=roles("organiser", "superuser")),
    "festival:results_export": roles("organiser", "superuser"),
    # Every certificate at once (a job): organisers, by POST, once results are published; the
    # world's edition has none published, so nobody gets a job.
    "festival:certificates_zip": Rule(nobody, post=nobody),
    "festival:gallery": everyone,
    # Entry A is not accepted: not in the gallery.
    "festival:gallery_entry": roles(),
}

SITE = {
    "search": everyone,
    "set_language": Rule(everyone, post=everyone),
    # Signed-in users are sent on to their start page (the admin's home for staff).
    "accounts:login": lambda ask: True if ask.role == "anonymous" else EITHER,
    "accounts:logout": Rule(POST_ONLY_REFUSED, post=everyone),
    "accounts:password_change": signed_in,
    "courses:program_zip": everyone,
    # Any signed-in account keeps its own code (courses/workspace/policy.py).
    "courses:workspace:save": Rule(nobody, post=signed_in),
    # A student's code read by their teacher (courses/workspace/policy.py); the world holds none: 404.
    "courses:workspace:code": Rule(nobody, post=nobody),
    # The page a QR label opens: anyone of the asset's school, and those who read every school.
    "kits:asset": lambda ask: (
        ask.user is not None
        and (ask.role in {"coordinator", "superuser"} or ask.user.school_id == ask.world.a.school.pk)
    ),
    "kits:reservations": perm("kits.add_reservation"),
    # The lab PC's REST API authenticates with a token, never with a session: 401 for every role.
    "firmware_api:lesson_bundle": nobody,
    # The lab PC posts with a token, never with a session.
    "firmware_api:record_flash": Rule(nobody, post=nobody),
    # Flashing from the browser (firmware/policy.py): a school's students, teachers and lab staff
    # get the manifest and images of a lesson and record their board; the kits lookup and the batch
    # page are lab staff's. The world's school A lab staff and school B's are both "of a school".
    "firmware:manifest": BOARD_PEOPLE,
    "firmware:base_image": BOARD_PEOPLE,
    "firmware:lesson_image": BOARD_PEOPLE,
    # POST with the probe's empty body: 400 (a bad body) for those allowed, 403 for the rest.
    "firmware:record": Rule(nobody, post=BOARD_PEOPLE),
    "firmware:kits": Rule(nobody, post=roles("labstaff", "other_labstaff", "superuser")),
    "firmware_batch": roles("labstaff", "other_labstaff", "superuser"),
    # Prometheus metrics are off in the tests (404); tests/ops/test_metrics.py tries them switched on.
    "metrics": nobody,
    "wagtail_serve": everyone,
    "wagtailcore_login": everyone,
    "wagtailcore_authenticate_with_password": nobody,  # no restriction in the world: 404
    "wagtaildocs_authenticate_with_password": nobody,
    "wagtaildocs_serve": everyone,
}

API = {
    # The public read API: published pages and images only; no drafts, no restricted pages.
    "wagtailapi:pages:listing": everyone,
    "wagtailapi:pages:detail": everyone,
    "wagtailapi:pages:find": EITHER,
    "wagtailapi:images:listing": everyone,
    "wagtailapi:images:detail": everyone,
    "wagtailapi:images:find": EITHER,
    "wagtailapi:courses:listing": everyone,
    "wagtailapi:courses:detail": everyone,
    "wagtailapi:courses:find": EITHER,
    "wagtailapi:lessons:listing": everyone,
    "wagtailapi:lessons:detail": everyone,
    "wagtailapi:lessons:find": EITHER,
}

WAGTAIL_ADMIN = {
    "wagtailadmin_home": admin_user,
    "wagtailadmin_account": admin_user,
    "wagtailadmin_logout": Rule(admin_user, post=either),  # logging out lands on the login page
    "wagtailadmin_dismissibles": admin_user,
    "wagtailadmin_sprite": everyone,
    "wagtailadmin_login": everyone,
    # Account recovery by e-mail: public pages, no row of anybody's behind them.
    "wagtailadmin_password_reset": Rule(everyone, post=either),
    "wagtailadmin_password_reset_done": Rule(everyone, post=either),
    "wagtailadmin_password_reset_confirm": Rule(everyone, post=either),
    "wagtailadmin_password_reset_complete": Rule(everyone, post=either),
    "wagtailadmin_javascript_catalog": everyone,
    "wagtailadmin_error_test": either,  # Wagtail's deliberate error page
    "wagtailadmin_block_preview": admin_user,
    "wagtailadmin_tag_autocomplete": admin_user,
    "wagtailadmin_tag_model_autocomplete": admin_user,
    "wagtailadmin_choose_page": admin_user,
    "wagtailadmin_choose_page_child": admin_user,
    "wagtailadmin_choose_page_search": admin_user,
    "wagtailadmin_choose_page_chosen_multiple": admin_user,
    "wagtailadmin_choose_page_external_link": admin_user,
    "wagtailadmin_choose_page_email_link": admin_user,
    "wagtailadmin_choose_page_phone_link": admin_user,
    "wagtailadmin_choose_page_anchor_link": admin_user,
    # Wagtail sends admin users without pages to explore back to the admin's home.
    "wagtailadmin_explore_root": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_explore": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_explore_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_pages:search": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_pages:search_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_pages:type_use": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_pages:type_use_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_pages:choose_parent": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_pages:convert_alias": nobody,  # the lesson is no alias: 404
    "wagtailadmin_pages:workflow_action": reviewer_task,
    "wagtailadmin_pages:collect_workflow_action_data": reviewer_task,
    "wagtailadmin_pages:workflow_preview": reviewer_task,
    # A confirmation dialog (page title, workflow name) that Wagtail serves to any admin user.
    "wagtailadmin_pages:confirm_workflow_cancellation": admin_user,
    "wagtail_bulk_action": Rule(superuser, post=superuser),
    "wagtailadmin_editing_sessions:ping": Rule(nobody, post=roles("teacher", "reviewer", "superuser")),
    "wagtailadmin_editing_sessions:release": Rule(nobody, post=admin_user),
    # Images and documents: Wagtail's collection permissions (teachers and reviewers upload).
    "wagtailimages:index": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages:index_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages:add": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages:add_multiple": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs:index": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs:index_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs:add": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs:add_multiple": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages_chooser:choose": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages_chooser:choose_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages_chooser:chosen": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages_chooser:chosen_multiple": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages_chooser:create": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailimages_chooser:select_format": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs_chooser:choose": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs_chooser:choose_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs_chooser:chosen": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs_chooser:chosen_multiple": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtaildocs_chooser:create": roles("teacher", "other_teacher", "reviewer", "superuser"),
    # The image and document made by the world have no owner: only superusers change them.
    "wagtailimages:edit": superuser,
    "wagtailimages:delete": superuser,
    "wagtailimages:url_generator": superuser,
    "wagtailimages:url_generator_output": superuser,
    "wagtailimages:preview": superuser,
    "wagtailimages:image_usage": superuser,
    "wagtaildocs:edit": superuser,
    "wagtaildocs:delete": superuser,
    "wagtaildocs:document_usage": superuser,
    # Upload sessions of other users do not exist in the world: 404.
    "wagtailimages:edit_multiple": superuser,
    "wagtailimages:delete_multiple": superuser,
    "wagtaildocs:edit_multiple": superuser,
    "wagtaildocs:delete_multiple": superuser,
    "wagtailimages:create_multiple_from_uploaded_image": nobody,
    "wagtailimages:delete_upload_multiple": nobody,
    "wagtaildocs:create_multiple_from_uploaded_document": nobody,
    "wagtaildocs:delete_upload_multiple": nobody,
    "wagtailembeds:chooser": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailembeds:chooser_upload": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailsnippets:index": admin_user,
    "simple_translation:submit_page_translation": superuser,
    "simple_translation:submit_snippet_translation": superuser,
    # The admin API the page explorer uses: pages the user may explore.
    "wagtailadmin_api:pages:listing": admin_user,
    "wagtailadmin_api:pages:detail": admin_user,
    "wagtailadmin_api:pages:find": either,
    "wagtailadmin_api:pages:action": Rule(nobody, post=roles("teacher", "reviewer", "superuser")),
    "wagtailadmin_api:documents:listing": admin_user,
    "wagtailadmin_api:documents:detail": admin_user,
    "wagtailadmin_api:documents:find": either,
    "wagtailadmin_api:images:listing": admin_user,
    "wagtailadmin_api:images:detail": admin_user,
    "wagtailadmin_api:images:find": either,
}

# Site-wide reports (site/core/reports.py): the site history only for superusers and coordinators;
# page reports for those who work across schools' pages (reviewers) besides them.
REPORT_READERS = roles("superuser", "coordinator")


def _page_policy():
    from wagtail.models import Page
    from wagtail.permissions import policy_registry

    return policy_registry.get_by_type(Page)


def PAGE_REPORT_READERS(ask):  # noqa: N802 - a rule like the others
    """Superusers and reviewers, and only with Wagtail's own page permission for the report."""
    return ask.role in {"superuser", "reviewer"} and _page_policy().user_has_any_permission(
        ask.user, ["add", "change", "publish"]
    )


def LOCKED_PAGE_READERS(ask):  # noqa: N802
    return ask.role in {"superuser", "reviewer"} and _page_policy().user_has_permission(ask.user, "unlock")


REPORTS = {
    "wagtailadmin_reports:site_history": REPORT_READERS,
    "wagtailadmin_reports:site_history_results": REPORT_READERS,
    "wagtailadmin_reports:locked_pages": LOCKED_PAGE_READERS,
    "wagtailadmin_reports:locked_pages_results": LOCKED_PAGE_READERS,
    "wagtailadmin_reports:aging_pages": PAGE_REPORT_READERS,
    "wagtailadmin_reports:aging_pages_results": PAGE_REPORT_READERS,
    "wagtailadmin_reports:workflow": PAGE_REPORT_READERS,
    "wagtailadmin_reports:workflow_results": PAGE_REPORT_READERS,
    "wagtailadmin_reports:workflow_tasks": PAGE_REPORT_READERS,
    "wagtailadmin_reports:workflow_tasks_results": PAGE_REPORT_READERS,
    "wagtailadmin_reports:page_types_usage": PAGE_REPORT_READERS,
    "wagtailadmin_reports:page_types_usage_results": PAGE_REPORT_READERS,
}
REPORTS.update(
    {name.replace("wagtailadmin_reports:", "core_reports:"): rule for name, rule in REPORTS.items()}
)

# Workflow task choosers: Wagtail lists task names to any admin user; creating needs add_task.
WORKFLOW_CHOOSERS = {
    "wagtailadmin_workflows:task_chooser": admin_user,
    "wagtailadmin_workflows:task_chooser_results": admin_user,
    "wagtailadmin_workflows:task_chooser_create": Rule(admin_user, post=superuser),
    "wagtailadmin_workflows:task_chosen": admin_user,
}

JOBS = {
    # A job is its owner's alone (the world's job: school A's teacher's export); superusers see all.
    "jobs:list": signed_in,
    "jobs:detail": roles("teacher", "superuser"),
    "jobs:status": roles("teacher", "superuser"),
    "jobs:download": nobody,  # the job has no result file yet: 404 for everyone
    "jobs:retry": Rule(nobody, post=lambda ask: EITHER if ask.role in {"teacher", "superuser"} else False),
}

MORE = {
    # Only the city coordinator (or a superuser) approves, changes an approved amount or closes a grant.
    "kits_admin:approve": roles("coordinator", "superuser"),
    "festival:results_export": roles("organiser", "superuser"),
    "festival:certificates_zip": roles("organiser", "superuser"),
    "admin:login": Rule(everyone, post=everyone),
    "admin:logout": Rule(nobody, post=either),
}

# Wagtail's and Django's own screens, as they answer (checked against their sources).
WAGTAIL_AS_IS = {
    "admin:autocomplete": superuser_maybe,
    "admin:view_on_site": superuser_maybe,
    "admin:app_list": superuser,
    "admin:django_tasks_database_dbtaskresult_add": superuser_maybe,
    "admin:django_tasks_database_dbtaskresult_change": superuser_maybe,
    "admin:django_tasks_database_dbtaskresult_delete": superuser_maybe,
    "admin:django_tasks_database_dbtaskresult_history": superuser_maybe,
    # Bulk delete of school A's grant: only a superuser may (the grant's purchases may protect it).
    "wagtail_bulk_action": Rule(superuser, post=superuser_maybe),
    # Lists only the parents the user may add under (none for roles without page permissions).
    "wagtailadmin_pages:choose_parent": admin_user,
    # Wagtail answers an empty POST with a 500 (its own bug; no data behind the dialog).
    "wagtailadmin_choose_page_external_link": Rule(admin_user, post=admin_maybe),
    "unnamed:admin/test404/": admin_user,
    "wagtailadmin_tag_model_autocomplete": nobody,  # images have no tag model here: 404
    "wagtailadmin_api:pages:detail": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailadmin_api:pages:action": Rule(
        nobody, post=lambda ask: EITHER if ask.role in {"teacher", "reviewer", "superuser"} else False
    ),
    "wagtailadmin_workflows:enable": Rule(nobody, post=superuser_maybe),
    "wagtailadmin_workflows:enable_task": Rule(nobody, post=superuser_maybe),
    "wagtailadmin_workflows:remove": Rule(nobody, post=superuser_maybe),
    "wagtailimages:edit_multiple": Rule(nobody, post=superuser_maybe),
    "wagtailimages:delete_multiple": Rule(nobody, post=superuser_maybe),
    "wagtaildocs:edit_multiple": Rule(nobody, post=superuser_maybe),
    "wagtaildocs:delete_multiple": Rule(nobody, post=superuser_maybe),
    "wagtailimages:url_generator": superuser_maybe,
    "wagtailimages:url_generator_output": superuser_maybe,
    "wagtailadmin_block_preview": admin_maybe,
    # Form pages the user may edit: there are none, the listing is empty.
    "wagtailforms:index": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailforms:index_results": roles("teacher", "other_teacher", "reviewer", "superuser"),
    "wagtailforms:list_submissions": nobody,  # the lesson is no form page: 404
    "wagtailforms:list_submissions_results": nobody,
    "wagtailforms:delete_submissions": nobody,
    "wagtailredirects:process_import": Rule(nobody, post=superuser_maybe),
    "simple_translation:submit_snippet_translation": nobody,  # grants are not translatable: 404
    "wagtailsettings:edit": nobody,  # no settings are registered: 404
    "wagtailsettings:preview_on_edit": nobody,
    # Choosers Wagtail opens to every admin user; what they list is scoped by collection permissions.
    "wagtailembeds:chooser": admin_user,
    "wagtailembeds:chooser_upload": admin_user,
    "wagtaildocs_chooser:choose": admin_user,
    "wagtaildocs_chooser:choose_results": admin_user,
    "wagtaildocs_chooser:chosen_multiple": admin_user,
    "wagtailimages_chooser:choose": admin_user,
    "wagtailimages_chooser:choose_results": admin_user,
    "wagtailimages_chooser:chosen_multiple": admin_user,
    "wagtailsnippets:index": admin_maybe,
    "wagtailusers_users:delete": Rule(superuser, post=superuser_maybe),  # the student's loans protect them
    "wagtaillocales:add": superuser_maybe,  # every language of the site exists already
    "wagtailadmin_login": lambda ask: True if ask.role == "anonymous" else EITHER,
    "wagtailadmin_logout": Rule(nobody, post=either),
    # POST-only page actions.
    "wagtailadmin_pages:set_page_position": Rule(nobody, post=page_rule),
    "wagtailadmin_pages:lock": Rule(nobody, post=page_rule),
    "wagtailadmin_pages:unlock": Rule(nobody, post=page_rule),
    # The copied edit form lacks the StreamField inputs its JavaScript builds, so an allowed save
    # fails on them (500); refused roles are still held to "refused, nothing changed".
    "wagtailadmin_pages:edit": Rule(page_rule, post=lambda ask: EITHER if page_rule(ask) else False),
    "wagtailadmin_pages:add": Rule(page_rule, post=lambda ask: EITHER if page_rule(ask) else False),
    "wagtailadmin_pages:revisions_revert": Rule(
        page_rule, post=lambda ask: EITHER if page_rule(ask) else False
    ),
    "firmware_api:kits": nobody,  # token only: 401
    "healthz": everyone,
    # A loan is lent from the lending screen of one's school; a superuser has no school.
    "wagtailsnippets_kits_loan:add": lambda ask: snippet_rule(ask) and ask.user.school_id is not None,
    "festival:certificates_zip": Rule(
        lambda ask: EITHER if ask.role in {"organiser", "superuser"} else False,
        post=lambda ask: EITHER if ask.role in {"organiser", "superuser"} else False,
    ),
}
for _name in (
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
):
    WAGTAIL_AS_IS[_name] = nobody  # password reset by e-mail is switched off: 404

UNNAMED = {
    "unnamed:admin/test404/": admin_user,  # Wagtail shows admins its 404 page
    "unnamed:admin/^.*/$": nobody,
    "unnamed:django-admin/(?P<url>.*)$": nobody,
}


def _explicit(rule):
    if rule is EITHER:
        return either
    return rule


RULES = {
    name: _explicit(rule)
    for table in (
        KITS_ADMIN,
        CLASSES,
        FESTIVAL,
        SITE,
        API,
        WAGTAIL_ADMIN,
        REPORTS,
        WORKFLOW_CHOOSERS,
        JOBS,
        MORE,
        WAGTAIL_AS_IS,
        UNNAMED,
    )
    for name, rule in table.items()
}

# Paths for routes that reverse() cannot build.
EXPLICIT_PATHS = {
    "unnamed:admin/^.*/$": lambda world: "/admin/no-such-screen/",
    "unnamed:django-admin/(?P<url>.*)$": lambda world: "/django-admin/no-such-screen/",
    "wagtailadmin_password_reset_confirm": lambda world: reverse(
        "wagtailadmin_password_reset_confirm", kwargs={"uidb64": "MQ", "token": "set-password"}
    ),
}


def rule_for(route):
    """The rule deciding `route`, or None (the matrix then fails: the URL needs an expectation)."""
    from tests.matrix.cases import snippet_model

    base = route.name.split("[")[0]
    if base in RULES:
        return RULES[base]
    if snippet_model(route) is not None and route.url_name in SNIPPET_ACTIONS:
        return snippet_rule
    if route.namespace == "wagtailadmin_pages" and (
        route.url_name in PAGE_ACTIONS or route.url_name in PAGE_READS
    ):
        return page_rule
    area = (
        route.namespace.split(":")[0]
        if route.namespace
        else (route.name if route.name.startswith("unnamed:django-admin") else "")
    )
    if area in WAGTAIL_SUPERUSER_AREAS or route.pattern.startswith("django-admin/"):
        return superuser
    return None
