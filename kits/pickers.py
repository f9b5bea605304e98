"""Choosing a tool type or an asset on the lab staff's forms: by search or by scanning an asset tag.

Each picker is a <select> sorted by category then name (what a browser without JavaScript shows)
that kits/static/kits/picker.js turns into a search box backed by the JSON endpoints below; a
barcode scanner types the tag and Enter, and an exact tag is chosen at once. The form fields accept
the id the select posts, or an exact asset tag / tool name typed in the box, and say which field is
wrong when nothing matches ("没有编号为 X 的资产"). Who sees which rows is asked of kits/policy.py:
tool types are city-wide (model permission), assets are the user's own school's.
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import policy
from .models import Asset, AssetStatus, ToolType

MAX_RESULTS = 20


def sorted_tool_types(queryset):
    return queryset.select_related("category").order_by(
        "category__sort_order", "category__slug", "name", "slug"
    )


def sorted_assets(queryset):
    return queryset.select_related("tool_type__category").order_by(
        "tool_type__category__sort_order", "tool_type__category__slug", "tool_type__name", "tag"
    )


def tool_type_label(tool_type):
    return f"{tool_type.category.name} · {tool_type.name}"


def asset_label(asset):
    return f"{asset.tag} {asset.tool_type.name}"


# --- widgets ------------------------------------------------------------------------------------


class PickerSelect(forms.Select):
    """A select sorted for picking, marked up for picker.js (search endpoint, messages)."""

    kind = None  # "tool_types" or "assets"
    url_name = None

    class Media:
        css = {"all": ["kits/forms.css"]}
        js = ["kits/picker.js"]

    def __init__(self, attrs=None, params=None):
        super().__init__(attrs)
        self.params = params or {}

    def sort(self, queryset):
        raise NotImplementedError

    def label(self, obj):
        raise NotImplementedError

    def get_context(self, name, value, attrs):
        if isinstance(self.choices, ModelChoiceIterator):  # sorted and labelled whatever the field says
            field = self.choices.field
            empty = [("", field.empty_label)] if field.empty_label is not None else []
            self.choices = empty + [
                (ModelChoiceIteratorValue(field.prepare_value(obj), obj), self.label(obj))
                for obj in self.sort(self.choices.queryset)
            ]
        context = super().get_context(name, value, attrs)
        query = "&".join(f"{key}={val}" for key, val in self.params.items())
        context["widget"]["attrs"].update(
            {
                "data-kits-picker": self.kind,
                "data-picker-url": reverse(self.url_name) + (f"?{query}" if query else ""),
                "data-picker-placeholder": str(self.placeholder),
                "data-picker-none": str(gettext_lazy("Nothing found.")),
                "data-picker-unknown": str(self.unknown),
            }
        )
        return context


class ToolTypePicker(PickerSelect):
    kind = "tool_types"
    url_name = "kits_admin:pick_tool_types"
    placeholder = gettext_lazy("Type part of a name or a category")
    unknown = gettext_lazy("There is no tool type called %s.")

    def sort(self, queryset):
        return sorted_tool_types(queryset)

    def label(self, obj):
        return tool_type_label(obj)


class AssetPicker(PickerSelect):
    kind = "assets"
    url_name = "kits_admin:pick_assets"
    placeholder = gettext_lazy("Scan the label or type a tag or a name")
    unknown = gettext_lazy("There is no asset with the tag %s.")

    def sort(self, queryset):
        return sorted_assets(queryset)

    def label(self, obj):
        return asset_label(obj)


# --- form fields --------------------------------------------------------------------------------


class ToolTypeField(forms.ModelChoiceField):
    """A tool type by id (the select) or by its exact name or slug (typed)."""

    widget = ToolTypePicker

    def __init__(self, queryset=None, **kwargs):
        super().__init__(
            sorted_tool_types(ToolType.objects.all() if queryset is None else queryset), **kwargs
        )

    def label_from_instance(self, obj):
        return tool_type_label(obj)

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values or text.isdigit():
            return super().to_python(text)
        name = text.split(" · ", 1)[-1]  # the label the picker shows: "category · name"
        found = list(self.queryset.filter(Q(name=name) | Q(slug=name))[:2])
        if len(found) == 1:
            return found[0]
        raise ValidationError(
            _("There is no tool type called %(name)s.") % {"name": text}, code="invalid_choice"
        )


class AssetField(forms.ModelChoiceField):
    """An asset by id (the select) or by its tag (typed or scanned)."""

    widget = AssetPicker

    def __init__(self, queryset, **kwargs):
        super().__init__(sorted_assets(queryset), **kwargs)

    def label_from_instance(self, obj):
        return asset_label(obj)

    def to_python(self, value):
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values or text.isdigit():
            return super().to_python(text)
        tag = text.split(" ", 1)[0].upper()  # a scanned tag, or the label "tag name"
        found = self.queryset.filter(tag=tag).first()
        if found is None:
            raise ValidationError(
                _("There is no asset with the tag %(tag)s.") % {"tag": tag}, code="invalid_choice"
            )
        return found


# --- the search endpoints -----------------------------------------------------------------------


def _terms(request):
    return [term for term in request.GET.get("q", "").split() if term][:5]


def _respond(rows, label, hint, exact):
    return JsonResponse(
        {
            "results": [{"value": str(row.pk), "label": label(row), "hint": hint(row)} for row in rows],
            "exact": None if exact is None else {"value": str(exact.pk), "label": label(exact)},
        }
    )


def pick_tool_types(request):
    """Tool types matching every word typed, on name, English name, slug or category; sorted."""
    if not policy.tool_types.can(request.user, "view"):
        raise PermissionDenied
    queryset = sorted_tool_types(policy.tool_types.scope(request.user, ToolType.objects.all()))
    for term in _terms(request):
        queryset = queryset.filter(
            Q(name__icontains=term)
            | Q(name_en__icontains=term)
            | Q(slug__icontains=term)
            | Q(category__name__icontains=term)
            | Q(category__name_en__icontains=term)
        )
    rows = list(queryset[:MAX_RESULTS])
    q = request.GET.get("q", "").strip()
    exact = next((row for row in rows if q and q in (row.name, row.slug)), None)
    return _respond(rows, tool_type_label, lambda row: f"{row.unit} · ¥{row.reference_price:,.2f}", exact)


def _pickable_assets(user):
    """The assets a lab staff member acts on: their own school's (policy), never another's."""
    queryset = policy.assets.scope(user, Asset.objects.all(), action="change")
    if user.school_id is not None:
        queryset = queryset.filter(room__school_id=user.school_id)
    return queryset


def pick_assets(request):
    """The user's school's assets matching every word typed, on tag, name or category; an exact tag
    (a scan) comes back as `exact` so the picker chooses it at once. ?status= narrows (in_stock)."""
    if not policy.assets.can(request.user, "view"):
        raise PermissionDenied
    queryset = _pickable_assets(request.user)
    status = request.GET.get("status")
    if status in AssetStatus.values:
        queryset = queryset.filter(status=status)
    queryset = sorted_assets(queryset)
    q = request.GET.get("q", "").strip()
    exact = queryset.filter(tag=q.upper()).first() if q else None
    for term in _terms(request):
        queryset = queryset.filter(
            Q(tag__icontains=term)
            | Q(tool_type__name__icontains=term)
            | Q(tool_type__name_en__icontains=term)
            | Q(tool_type__category__name__icontains=term)
            | Q(location__icontains=term)
        )
    rows = [exact] if exact is not None else list(queryset[:MAX_RESULTS])
    return _respond(
        rows,
        asset_label,
        lambda row: " · ".join(p for p in (row.tool_type.category.name, row.location) if p),
        exact,
    )
