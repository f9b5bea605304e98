"""Wagtail admin screens of kits: one snippet viewset per model, each on the core's
`PolicySnippetViewSet`, so that every view (index and its export, inspect, edit, delete, history,
usage, chooser) asks the model's policy in kits/policy.py — 404 for a row the user may not see,
403 for an action they may not take — and the copy view is off.

The view classes are written out per model: what each one adds (a save through kits.services, the
audit history, a redirect to the screen where a domain rule applies) is visible here. Saves that
carry a domain rule go through kits.services, which also writes the audit history.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from makerroom.core import admin_views as policy_views
from makerroom.core import audit
from makerroom.core.admin_views import PolicySnippetViewSet
from makerroom.core.audit import jsonable
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList, Panel
from wagtail.snippets.views import snippets

from . import policy, services
from .asset_actions import AssetIndexView
from .forms import preselect_only_choice
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
from .pickers import ToolTypeField, ToolTypePicker

# --- what the views add to the core's policy-checked views --------------------------------------


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
            before = {name: jsonable(getattr(original, name, None)) for name in self.form.changed_data}
        instance = super().save_instance()
        after = {name: jsonable(getattr(instance, name, None)) for name in self.form.changed_data}
        audit.record(
            instance, "kits.edit" if before is not None else "kits.create", self.request.user, before, after
        )
        return instance


class CreateView(ServiceErrorsMixin, snippets.CreateView):
    pass


class RedirectAddView(snippets.CreateView):
    """An add view that sends the user to the screen where the domain rule applies instead."""

    redirect_to = None  # a URL name

    def dispatch(self, request, *args, **kwargs):
        return redirect(self.redirect_to)


class HistoryView(policy_views.HistoryView):
    # Wagtail shows history to editors only; the audit trail is for read-only coordinators too.
    any_permission_required = ["add", "change", "delete", "view"]


class EditView(ServiceErrorsMixin, policy_views.EditView):
    pass


class AuditedEditView(AuditedSaveMixin, EditView):
    pass


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
            if field is not None and user is not None:
                field.queryset = policy.form_choices(user, field.queryset, path)


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


class ToolCategoryViewSet(PolicySnippetViewSet):
    model = ToolCategory
    icon = "folder-open-inverse"
    menu_label = _("Tool categories")
    list_display = ["name", "name_en", "slug", "sort_order"]
    panels = [FieldPanel("name"), FieldPanel("name_en"), FieldPanel("slug"), FieldPanel("sort_order")]


class ToolTypeViewSet(PolicySnippetViewSet):
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


class FundingProgrammeViewSet(PolicySnippetViewSet):
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


class KitTemplateViewSet(PolicySnippetViewSet):
    model = KitTemplate
    icon = "clipboard-list"
    menu_label = _("Kit templates")
    list_display = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        InlinePanel(
            "items",
            label=_("Bill of materials"),
            # the part is searched (name, category), not picked from sixty unsorted lines
            panels=[FieldPanel("tool_type", widget=ToolTypePicker), FieldPanel("quantity")],
        ),
    ]


# --- a school's records ------------------------------------------------------------------------


class SchoolRecordViewSet(PolicySnippetViewSet):
    """A school's records: read-only users (city coordinators) inspect them and read their history."""

    inspect_view_enabled = True
    add_view_class = CreateView
    edit_view_class = EditView
    history_view_class = HistoryView


class MakerRoomViewSet(SchoolRecordViewSet):
    model = MakerRoom
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
    """Lab staff apply and keep the paperwork: what the policy locks for them (status, approved
    amount; on an approved grant its programme, room and period too) is shown but disabled, so a
    POSTed value is ignored — and services.save_grant refuses it on any other path."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        for name in policy.grants.locked_fields(user, self.instance):
            field = self.fields.get(name.removesuffix("_id"))
            if field is not None:
                field.disabled = True
                field.required = False
                field.help_text = _("Set by the city coordinator.")

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
        fields = {
            "programme",
            "room",
            "requested_amount",
            "approved_amount",
            "status",
            "starts_on",
            "ends_on",
        }
        return Grant(**{k: v for k, v in cleaned.items() if k in fields and v is not None})


class GrantSaveMixin:
    def save_instance(self):
        return services.save_grant(self.form.save(commit=False), user=self.request.user)


class GrantCreateView(GrantSaveMixin, CreateView):
    pass


class GrantEditView(GrantSaveMixin, EditView):
    pass


class GrantViewSet(SchoolRecordViewSet):
    model = Grant
    icon = "doc-full"
    menu_label = _("Grants")
    add_view_class = GrantCreateView
    edit_view_class = GrantEditView
    list_display = ["__str__", "programme", "approved_amount", "charged", "status", "starts_on", "ends_on"]
    list_filter = ["status", "programme"]
    edit_handler = ObjectList(
        [
            FieldPanel("programme"),
            FieldPanel("room"),
            FieldPanel("reference"),
            FieldPanel("requested_amount"),
            FieldPanel("approved_amount"),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldPanel("status"),
        ],
        base_form_class=GrantForm,
    )


def continues_invoice_field():
    """The form's 同一发票续行: the import's column of that name, as a tick box."""
    return forms.BooleanField(
        label=_("Further line of the same invoice (同一发票续行)"),
        required=False,
        help_text=_("Tick when this line is another item on an invoice already recorded for the school."),
    )


class GrantTermsSelect(forms.Select):
    """The grant select of the purchase form: each option carries what the live totals need (what
    is left of the grant, the programme's share, the cap per school and what the school has drawn
    from it), from services.subsidy_terms; kits/purchase_totals.js applies services.subsidy_for's
    rule to them. The server decides again on save."""

    terms = {}

    class Media:
        css = {"all": ["kits/forms.css"]}
        js = ["kits/purchase_totals.js"]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        terms = self.terms.get(getattr(value, "value", value))
        if terms:
            option["attrs"].update(
                {f"data-{key}": "" if amount is None else str(amount) for key, amount in terms.items()}
            )
        return option


class PurchaseForm(SchoolScopedForm):
    """The fields of a purchase line; services.record_purchase validates and saves it."""

    continues_invoice = continues_invoice_field()
    confirm_self_funded = forms.BooleanField(
        label=_("The school pays what the grant does not cover"),
        required=False,
        help_text=_("Asked when what is left of the grant does not cover the whole line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "grant" in self.fields:
            grants = self.fields["grant"].queryset.filter(status=GrantStatus.APPROVED)
            self.fields["grant"].queryset = grants.select_related("programme", "room__school")
            preselect_only_choice(self, "grant")  # the room's one grant: nothing to choose
            widget = self.fields["grant"].widget
            if isinstance(widget, GrantTermsSelect):
                widget.terms = services.subsidy_terms(self.fields["grant"].queryset)
        if "tool_type" in self.fields:  # searched by name or category, or typed in full
            old = self.fields["tool_type"]
            self.fields["tool_type"] = ToolTypeField(label=old.label, required=True)
        # Money and quantities are parsed by the service so that its messages name the field.
        for name in ("quantity", "unit_cost"):
            if name in self.fields:
                self.fields[name] = forms.CharField(label=self.fields[name].label, required=True)

    # Written the way people write them (4,999.50, ¥35): the service's parsing, before the model's
    # own validation sees them — the figures the live totals show are the ones saved.
    def clean_quantity(self):
        return self._parsed(services.parse_quantity, "quantity")

    def clean_unit_cost(self):
        return self._parsed(services.parse_money, "unit_cost")

    def _parsed(self, parse, name):
        try:
            return parse(self.cleaned_data[name], name)
        except ValidationError as error:
            raise ValidationError(error.message_dict[name]) from None


class PurchaseCreateView(CreateView):
    def get_success_message(self, instance):
        kind, count, first, last = services.made_by(instance)
        if kind == "assets":
            tags = first if first == last else f"{first}…{last}"
            made = ngettext("%(count)d asset made: %(tags)s.", "%(count)d assets made: %(tags)s.", count) % {
                "count": count,
                "tags": tags,
            }
        else:
            made = _("%(count)s added to the room's stock.") % {"count": count}
        return f"{super().get_success_message(instance)} {made}"

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
            # A line larger than what is left: the service says how it is paid and asks first.
            school_pays_rest=bool(data.get("confirm_self_funded")),
            # An invoice already recorded for the school: refused unless this is a further line.
            continues_invoice=bool(data.get("continues_invoice")),
        )


class PaperworkForm(SchoolScopedForm):
    """A charged purchase's paperwork; services.save_paperwork validates and saves it."""

    continues_invoice = continues_invoice_field()


class PurchaseEditView(EditView):
    """Money lines are fixed once charged (void and re-enter to correct them); the paperwork can change."""

    def save_instance(self):
        return services.save_paperwork(
            self.form.save(commit=False),
            user=self.request.user,
            continues_invoice=bool(self.form.cleaned_data.get("continues_invoice")),
        )


class PurchaseViewSet(SchoolRecordViewSet):
    model = Purchase
    icon = "form"
    menu_label = _("Purchases")
    add_view_class = PurchaseCreateView
    edit_view_class = PurchaseEditView
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
    edit_handler = ObjectList(
        [
            # A plain select for the grant (a lab has a handful); the catalogue is searched.
            FieldPanel("grant", widget=GrantTermsSelect),
            FieldPanel("tool_type", widget=ToolTypePicker),
            FieldRowPanel([FieldPanel("quantity"), FieldPanel("unit_cost")]),
            ReadOnlyPanel("kits/admin/purchase_totals_panel.html", heading=_("Before saving")),
            FieldRowPanel([FieldPanel("supplier"), FieldPanel("invoice_number")]),
            FieldPanel("continues_invoice"),
            FieldPanel("purchased_on"),
            FieldPanel("invoice_file"),
            FieldPanel("confirm_self_funded"),
        ],
        base_form_class=PurchaseForm,
    )
    # Once charged, only the paperwork of a purchase can change.
    paperwork_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("supplier"), FieldPanel("invoice_number")]),
            FieldPanel("continues_invoice"),
            FieldPanel("invoice_file"),
        ],
        base_form_class=PaperworkForm,
    )

    def get_edit_view_kwargs(self, **kwargs):
        handler = self.paperwork_handler.bind_to_model(self.model)
        return super().get_edit_view_kwargs(panel=handler, form_class=handler.get_form_class(), **kwargs)


class AddThroughPurchase(RedirectAddView):
    redirect_to = "wagtailsnippets_kits_purchase:add"  # assets and stock come from purchases


class AssetViewSet(SchoolRecordViewSet):
    model = Asset
    icon = "tag"
    menu_label = _("Assets")
    add_view_class = AddThroughPurchase  # numbered tags come from purchases
    edit_view_class = AuditedEditView
    index_view_class = AssetIndexView  # the header prints labels (尚未打印 or all)
    # Bulk actions beyond delete (打印标签, 改状态, 移到位置, 加入套件): kits/asset_actions.py.
    list_display = ["tag", "tool_type", "status", "room", "location", "kit", "serial", "label_printed_at"]
    list_filter = ["status", "tool_type__category"]
    search_fields = ["tag", "serial", "location"]
    edit_handler = ObjectList(
        [FieldPanel("serial"), FieldPanel("status"), FieldPanel("location"), FieldPanel("notes")],
        base_form_class=StatusForm,
    )


class StockViewSet(SchoolRecordViewSet):
    model = Stock
    icon = "list-ul"
    menu_label = _("Stock")
    add_view_class = AddThroughPurchase
    edit_view_class = AuditedEditView
    list_display = ["tool_type", "room", "quantity", "low_stock_threshold"]
    list_filter = ["tool_type__category"]
    edit_handler = ObjectList([FieldPanel("low_stock_threshold")], base_form_class=SchoolScopedForm)


class KitViewSet(SchoolRecordViewSet):
    model = Kit
    icon = "box"
    menu_label = _("Kits")
    edit_view_class = AuditedEditView
    list_display = ["code", "template", "status", "room", "esp32_mac"]
    list_filter = ["status", "template"]
    search_fields = ["code", "esp32_mac"]
    edit_handler = ObjectList(
        [
            FieldPanel("code"),
            FieldRowPanel([FieldPanel("school"), FieldPanel("room")]),
            FieldPanel("template"),
            FieldPanel("status"),
            FieldPanel("esp32_mac", read_only=True),
            FieldPanel("notes"),
            ReadOnlyPanel("kits/admin/kit_contents_panel.html", heading=_("Contents checklist")),
            ReadOnlyPanel("kits/admin/kit_assets_panel.html", heading=_("Tagged assets in this kit")),
            ReadOnlyPanel("kits/admin/flash_records_panel.html", heading=_("Flash records")),
        ],
        base_form_class=StatusForm,
    )


class FlashRecordViewSet(SchoolRecordViewSet):
    model = FlashRecord
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
    panels = [FieldPanel("message")]  # records come from the firmware tools; lab staff only read them


class LendInstead(RedirectAddView):
    redirect_to = "kits_admin:lend"


class LoanViewSet(SchoolRecordViewSet):
    model = Loan
    icon = "user"
    menu_label = _("Loans")
    add_view_class = LendInstead
    edit_view_class = AuditedEditView
    list_display = ["__str__", "borrower_kind", "lent_at", "due_on", "returned_at", "condition"]
    list_filter = ["borrower_kind", "condition"]
    # Lending and returning go through their own screens; here only the due date and notes change.
    edit_handler = ObjectList(
        [FieldPanel("due_on"), FieldPanel("return_notes")], base_form_class=SchoolScopedForm
    )


class BookInstead(RedirectAddView):
    redirect_to = "kits:reservations"  # the calendar refuses double booking


class ReservationViewSet(SchoolRecordViewSet):
    model = Reservation
    icon = "date"
    menu_label = _("Reservations")
    add_view_class = BookInstead
    edit_view_class = AuditedEditView
    list_display = ["date", "starts_at", "ends_at", "class_name", "kit_count", "teacher", "room"]
    edit_handler = ObjectList(
        [FieldPanel("class_name"), FieldPanel("purpose")], base_form_class=SchoolScopedForm
    )


class StartStocktakeInstead(RedirectAddView):
    redirect_to = "kits_admin:stocktake_start"


class StocktakeViewSet(SchoolRecordViewSet):
    model = Stocktake
    icon = "list-ol"
    menu_label = _("Stocktakes")
    add_view_class = StartStocktakeInstead
    list_display = ["__str__", "started_by", "started_at", "finished_at"]
    edit_handler = ObjectList([FieldPanel("room", read_only=True)], base_form_class=SchoolScopedForm)
