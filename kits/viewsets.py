"""Wagtail admin screens for lab staff: one snippet viewset per model, scoped to the user's school.

Every view that loads one object checks the school (404 for another school's data), listings are
filtered, form choices are limited to the school, and saves that carry a domain rule go through
kits.services (which also writes the audit history).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, Panel
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from . import services
from .models import (
    Asset,
    FlashRecord,
    FundingProgramme,
    Grant,
    GrantStatus,
    Kit,
    KitTemplate,
    Loan,
    MakerRoom,
    Purchase,
    Reservation,
    Stock,
    Stocktake,
    ToolCategory,
    ToolType,
)

# --- scoping -----------------------------------------------------------------------------------


def school_of(obj):
    """The school id an object belongs to (None for city-wide catalogue data)."""
    for path in (
        "school_id",
        "kit.school_id",
        "room.school_id",
        "grant.room.school_id",
        "stocktake.room.school_id",
    ):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


class ScopedObjectMixin:
    """Loads objects only from the user's school; changes need the right to change that school."""

    school_path = None  # lookup from the model to the school id, e.g. "room__school"
    needs_change = False

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if self.school_path:
            school_id = school_of(obj)
            if not services.can_view_school(self.request.user, school_id):
                raise Http404
            if self.needs_change and not services.can_change_school(self.request.user, school_id):
                raise PermissionDenied
        return obj


class ScopedIndexMixin:
    school_path = None

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.school_path:
            queryset = services.scope(queryset, self.request.user, self.school_path)
        return queryset


class ServiceErrorsMixin:
    """Turn a domain rule's ValidationError into form errors on the field it names."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else NON_FIELD_ERRORS, messages)
            self.produced_error_message = " ".join(m for msgs in error.message_dict.values() for m in msgs)
            return self.form_invalid(form)


class AuditedSaveMixin:
    """Generic saves keep before/after in the audit history too."""

    def save_instance(self):
        before = None
        if self.form.instance.pk:
            original = type(self.form.instance).objects.get(pk=self.form.instance.pk)
            before = {
                name: services._jsonable(getattr(original, name, None)) for name in self.form.changed_data
            }
        instance = super().save_instance()
        after = {name: services._jsonable(getattr(instance, name, None)) for name in self.form.changed_data}
        services.audit(
            instance, "kits.edit" if before is not None else "kits.create", self.request.user, before, after
        )
        return instance


class ScopedChooserMixin:
    """The snippet chooser (a modal any form with a chooser widget opens) lists the user's school only."""

    school_path = None

    def scoped(self, queryset):
        return services.scope(queryset, self.request.user, self.school_path)

    def get_object_list(self):
        return self.scoped(super().get_object_list())


class ScopedChosenMixin(ScopedChooserMixin):
    def get_object(self, pk):
        return self.scoped(self.model_class.objects.all()).get(pk=pk)

    def get_objects(self, pks):
        return self.scoped(self.model_class.objects.filter(pk__in=pks))


def scoped_chooser_viewset(path):
    attrs = {"school_path": path}
    return type(
        "ScopedChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": type("Choose", (ScopedChooserMixin, ChooseView), attrs),
            "choose_results_view_class": type("Results", (ScopedChooserMixin, ChooseResultsView), attrs),
            "chosen_view_class": type("Chosen", (ScopedChosenMixin, SnippetChosenView), attrs),
            "chosen_multiple_view_class": type(
                "ChosenMultiple", (ScopedChosenMixin, SnippetChosenMultipleView), attrs
            ),
        },
    )


def redirect_add_to(base, url_name):
    """An add view that sends the user to the screen where the domain rule applies instead."""

    def dispatch(self, request, *args, **kwargs):
        return redirect(url_name)

    return type("RedirectAdd", (base,), {"dispatch": dispatch})


def scoped_viewset(viewset_cls):
    """Give a viewset's views the school scoping of its `school_path`."""
    path = viewset_cls.school_path
    viewset_cls.inspect_view_enabled = True  # read-only users (city coordinators) inspect records
    viewset_cls.chooser_viewset_class = scoped_chooser_viewset(path)
    viewset_cls.index_view_class = type(
        "Index", (ScopedIndexMixin, viewset_cls.index_view_class), {"school_path": path}
    )
    if getattr(viewset_cls, "add_via", None):
        viewset_cls.add_view_class = redirect_add_to(viewset_cls.add_view_class, viewset_cls.add_via)
    else:
        viewset_cls.add_view_class = type("Create", (ServiceErrorsMixin, viewset_cls.add_view_class), {})
    viewset_cls.edit_view_class = type(
        "Edit",
        (ScopedObjectMixin, ServiceErrorsMixin, viewset_cls.edit_view_class),
        {"school_path": path, "needs_change": True},
    )
    for name, needs_change in (("inspect", False), ("history", False), ("usage", False), ("delete", True)):
        base = getattr(viewset_cls, f"{name}_view_class")
        attrs = {"school_path": path, "needs_change": needs_change}
        if name == "history":
            # Wagtail shows history to editors only; the audit trail is for read-only coordinators too.
            attrs["any_permission_required"] = ["add", "change", "delete", "view"]
        setattr(viewset_cls, f"{name}_view_class", type(name.title(), (ScopedObjectMixin, base), attrs))
    return viewset_cls


class SchoolScopedForm(WagtailAdminModelForm):
    """Limits the choices of school-bound fields to the user's own school."""

    scoped_fields = {
        "school": "pk",
        "room": "school",
        "grant": "room__school",
        "kit": "school",
        "asset": "room__school",
        "borrower": "school",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        for name, path in self.scoped_fields.items():
            field = self.fields.get(name)
            if field is None or user is None or services.sees_all_schools(user):
                continue
            field.queryset = field.queryset.filter(**{path: user.school_id})


class StatusForm(SchoolScopedForm):
    """Kits and assets: an edit may not put them on loan or take them off (lend and return do)."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "status" in cleaned:
            try:
                services.validate_status_change(self.instance, cleaned["status"])
            except ValidationError as error:
                self.add_error("status", error.message_dict["status"])
        return cleaned


class ReadOnlyPanel(Panel):
    """A panel that shows a template fragment instead of form fields."""

    def __init__(self, template_name, heading="", **kwargs):
        self.template_name = template_name
        super().__init__(heading=heading, **kwargs)

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs["template_name"] = self.template_name
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.template_name = self.panel.template_name

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["object"] = self.instance
            return context


# --- catalogue (city-wide; lab staff read, superusers edit) ---------------------------------


class ToolCategoryViewSet(SnippetViewSet):
    model = ToolCategory
    icon = "folder-open-inverse"
    menu_label = _("Tool categories")
    list_display = ["name", "name_en", "slug", "sort_order"]
    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("sort_order")]


class ToolTypeViewSet(SnippetViewSet):
    model = ToolType
    icon = "cogs"
    menu_label = _("Tool catalogue")
    list_display = ["name", "slug", "category", "unit", "reference_price", "kind"]
    list_filter = ["category", "kind"]
    search_fields = ["name", "name_en", "slug"]
    panels = [
        FieldPanel("category"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("slug"), FieldPanel("unit")]),
        FieldRowPanel([FieldPanel("reference_price"), FieldPanel("kind")]),
        FieldPanel("photo"),
        FieldPanel("safety_notes"),
    ]


class FundingProgrammeViewSet(SnippetViewSet):
    model = FundingProgramme
    icon = "tasks"
    menu_label = _("Funding programmes")
    list_display = ["name", "cap", "max_subsidy_rate", "rule"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("cap"),
        FieldPanel("max_subsidy_rate"),
        FieldPanel("rule"),
    ]


# --- a school's maker room ---------------------------------------------------------------------


@scoped_viewset
class MakerRoomViewSet(SnippetViewSet):
    model = MakerRoom
    school_path = "school"
    icon = "home"
    menu_label = _("Maker rooms")
    list_display = ["name", "school", "location", "opening_hours", "contact_name"]
    search_fields = ["name", "location"]
    edit_handler = ObjectList(
        [
            FieldPanel("school"),
            FieldPanel("name"),
            FieldPanel("location"),
            FieldPanel("opening_hours"),
            FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_phone")]),
            FieldPanel("description"),
            InlinePanel("photos", label=_("Photos")),
        ],
        base_form_class=SchoolScopedForm,
    )


class GrantForm(SchoolScopedForm):
    def clean(self):
        cleaned = super().clean()
        try:
            services.validate_grant(self.instance if self.instance.pk else self._unsaved(cleaned))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields:
                    self.add_error(field, messages)
        return cleaned

    def _unsaved(self, cleaned):
        return Grant(
            **{
                k: v
                for k, v in cleaned.items()
                if k in {"programme", "approved_amount", "starts_on", "ends_on"}
            }
        )


class GrantSaveMixin:
    def save_instance(self):
        return services.save_grant(self.form.save(commit=False), user=self.request.user)


@scoped_viewset
class GrantViewSet(SnippetViewSet):
    model = Grant
    school_path = "room__school"
    icon = "doc-full"
    menu_label = _("Grants")
    list_display = ["__str__", "programme", "approved_amount", "charged", "status", "starts_on", "ends_on"]
    list_filter = ["status", "programme"]
    edit_handler = ObjectList(
        [
            FieldPanel("programme"),
            FieldPanel("room"),
            FieldPanel("reference"),
            FieldPanel("approved_amount"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("status"),
        ],
        base_form_class=GrantForm,
    )


GrantViewSet.add_view_class = type("Create", (GrantSaveMixin, GrantViewSet.add_view_class), {})
GrantViewSet.edit_view_class = type("Edit", (GrantSaveMixin, GrantViewSet.edit_view_class), {})


class PurchaseForm(SchoolScopedForm):
    """The fields of a purchase line; services.record_purchase validates and saves it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "grant" in self.fields:
            self.fields["grant"].queryset = self.fields["grant"].queryset.filter(status=GrantStatus.APPROVED)
        # Money and quantities are parsed by the service so that its messages name the field.
        for name in ("quantity", "unit_cost"):
            if name in self.fields:
                self.fields[name] = forms.CharField(label=self.fields[name].label, required=True)


class RecordPurchaseMixin:
    def save_instance(self):
        data = self.form.cleaned_data
        return services.record_purchase(
            grant=data["grant"],
            tool_type=data["tool_type"],
            quantity=data["quantity"],
            unit_cost=data["unit_cost"],
            supplier=data["supplier"],
            invoice_number=data["invoice_number"],
            purchased_on=data["purchased_on"],
            invoice_file=data.get("invoice_file") or "",
            user=self.request.user,
        )


class PurchaseEditMixin:
    """Money lines are fixed once charged (void and re-enter to correct them); the paperwork can change."""

    def save_instance(self):
        before = {
            name: services._jsonable(getattr(self.form.initial_instance, name, None))
            for name in self.form.changed_data
        }
        instance = self.form.save()
        after = {name: services._jsonable(getattr(instance, name)) for name in self.form.changed_data}
        services.audit(instance, "kits.edit", self.request.user, before, after)
        return instance

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        form.initial_instance = Purchase.objects.get(pk=self.object.pk)
        return form


@scoped_viewset
class PurchaseViewSet(SnippetViewSet):
    model = Purchase
    school_path = "grant__room__school"
    icon = "form"
    menu_label = _("Purchases")
    list_display = [
        "tool_type",
        "quantity",
        "unit_cost",
        "total_cost",
        "subsidy",
        "supplier",
        "invoice_number",
        "purchased_on",
    ]
    list_filter = ["tool_type__category", "purchased_on"]
    search_fields = ["supplier", "invoice_number"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            # Plain selects: a lab has a handful of grants, and the catalogue reads best as one list.
            FieldPanel("grant", widget=forms.Select),
            FieldPanel("tool_type", widget=forms.Select),
            FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit_cost")]),
            FieldRowPanel([FieldPanel("supplier"), FieldPanel("invoice_number")]),
            FieldPanel("purchased_on"),
            FieldPanel("invoice_file"),
        ],
        base_form_class=PurchaseForm,
    )
    # Once charged, only the paperwork of a purchase can change.
    paperwork_handler = ObjectList(
        [FieldRowPanel([FieldPanel("supplier"), FieldPanel("invoice_number")]), FieldPanel("invoice_file")],
        base_form_class=SchoolScopedForm,
    )

    def get_edit_view_kwargs(self, **kwargs):
        handler = self.paperwork_handler.bind_to_model(self.model)
        return super().get_edit_view_kwargs(panel=handler, form_class=handler.get_form_class(), **kwargs)


PurchaseViewSet.add_view_class = type("Create", (RecordPurchaseMixin, PurchaseViewSet.add_view_class), {})
PurchaseViewSet.edit_view_class = type("Edit", (PurchaseEditMixin, PurchaseViewSet.edit_view_class), {})


@scoped_viewset
class AssetViewSet(SnippetViewSet):
    model = Asset
    school_path = "room__school"
    icon = "tag"
    menu_label = _("Assets")
    add_via = "wagtailsnippets_kits_purchase:add"  # assets come from purchases (numbered tags)
    list_display = ["tag", "tool_type", "status", "room", "location", "serial"]
    list_filter = ["status", "tool_type__category"]
    search_fields = ["tag", "serial", "location"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [FieldPanel("serial"), FieldPanel("status"), FieldPanel("location"), FieldPanel("notes")],
        base_form_class=StatusForm,
    )


AssetViewSet.edit_view_class = type("Edit", (AuditedSaveMixin, AssetViewSet.edit_view_class), {})


@scoped_viewset
class StockViewSet(SnippetViewSet):
    model = Stock
    school_path = "room__school"
    icon = "list-ul"
    menu_label = _("Stock")
    add_via = "wagtailsnippets_kits_purchase:add"  # stock comes from purchases
    list_display = ["tool_type", "room", "quantity", "low_stock_threshold"]
    list_filter = ["tool_type__category"]
    edit_handler = ObjectList([FieldPanel("low_stock_threshold")], base_form_class=SchoolScopedForm)


StockViewSet.edit_view_class = type("Edit", (AuditedSaveMixin, StockViewSet.edit_view_class), {})


# --- kits --------------------------------------------------------------------------------------


class KitTemplateViewSet(SnippetViewSet):
    model = KitTemplate
    icon = "clipboard-list"
    menu_label = _("Kit templates")
    list_display = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        InlinePanel("items", label=_("Bill of materials")),
    ]


@scoped_viewset
class KitViewSet(SnippetViewSet):
    model = Kit
    school_path = "school"
    icon = "box"
    menu_label = _("Kits")
    list_display = ["code", "template", "status", "room", "esp32_mac"]
    list_filter = ["status", "template"]
    search_fields = ["code", "esp32_mac"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldRowPanel([FieldPanel("school"), FieldPanel("room")]),
            FieldPanel("template"),
            FieldPanel("status"),
            FieldPanel("esp32_mac", read_only=True),
            FieldPanel("notes"),
            ReadOnlyPanel("kits/admin/kit_contents_panel.html", heading=_("Contents checklist")),
            ReadOnlyPanel("kits/admin/flash_records_panel.html", heading=_("Flash records")),
        ],
        base_form_class=StatusForm,
    )


KitViewSet.edit_view_class = type("Edit", (AuditedSaveMixin, KitViewSet.edit_view_class), {})


@scoped_viewset
class FlashRecordViewSet(SnippetViewSet):
    model = FlashRecord
    school_path = "kit__school"
    icon = "download"
    menu_label = _("Flash records")
    list_display = [
        "flashed_at",
        "kit",
        "mac",
        "chip",
        "lesson_slug",
        "lesson_version",
        "ok",
        "seconds",
        "port",
    ]
    list_filter = ["ok", "lesson_slug"]
    search_fields = ["mac", "lesson_slug"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [FieldPanel("message")]  # records come from the firmware tools; lab staff only read them


@scoped_viewset
class LoanViewSet(SnippetViewSet):
    model = Loan
    school_path = "school"
    icon = "user"
    menu_label = _("Loans")
    add_via = "kits_admin:lend"
    list_display = ["__str__", "borrower_kind", "lent_at", "due_on", "returned_at", "condition"]
    list_filter = ["borrower_kind", "condition"]
    inspect_view_enabled = True
    # Lending and returning go through their own screens; here only the due date and notes change.
    edit_handler = ObjectList(
        [FieldPanel("due_on"), FieldPanel("return_notes")], base_form_class=SchoolScopedForm
    )


@scoped_viewset
class ReservationViewSet(SnippetViewSet):
    model = Reservation
    school_path = "room__school"
    icon = "date"
    menu_label = _("Reservations")
    add_via = "kits:reservations"  # the calendar refuses double booking
    list_display = ["date", "starts_at", "ends_at", "class_name", "kit_count", "teacher", "room"]
    inspect_view_enabled = True
    edit_handler = ObjectList(
        [FieldPanel("class_name"), FieldPanel("purpose")], base_form_class=SchoolScopedForm
    )


LoanViewSet.edit_view_class = type("Edit", (AuditedSaveMixin, LoanViewSet.edit_view_class), {})
ReservationViewSet.edit_view_class = type("Edit", (AuditedSaveMixin, ReservationViewSet.edit_view_class), {})


@scoped_viewset
class StocktakeViewSet(SnippetViewSet):
    model = Stocktake
    school_path = "room__school"
    icon = "list-ol"
    menu_label = _("Stocktakes")
    add_via = "kits_admin:stocktake_start"
    list_display = ["__str__", "started_by", "started_at", "finished_at"]
    inspect_view_enabled = True
    edit_handler = ObjectList([FieldPanel("room", read_only=True)], base_form_class=SchoolScopedForm)
