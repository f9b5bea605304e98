"""Forms of the kits screens. They only collect input; kits.services decides."""

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from makerroom.core.directory import school_class_names

from .models import (
    Asset,
    AssetStatus,
    BorrowerKind,
    Grant,
    GrantStatus,
    Kit,
    KitStatus,
    MakerRoom,
    ReturnCondition,
)
from .pickers import AssetField, AssetPicker, sorted_assets


def preselect_only_choice(form, name):
    """An unbound form whose field offers one choice (a room's only grant) starts with it chosen."""
    only = list(form.fields[name].queryset[:2])
    if len(only) == 1 and not form.is_bound and getattr(getattr(form, "instance", None), "pk", None) is None:
        form.initial.setdefault(name, only[0].pk)


class GrantChoiceMixin:
    def limit_grants(self, user):
        from . import policy

        self.fields["grant"].queryset = policy.grants.scope(
            user,
            Grant.objects.filter(status=GrantStatus.APPROVED).select_related("programme", "room__school"),
        )
        preselect_only_choice(self, "grant")


class ImportForm(GrantChoiceMixin, forms.Form):
    grant = forms.ModelChoiceField(label=_("Grant"), queryset=Grant.objects.none())
    file = forms.FileField(label=_("Procurement sheet (.xlsx or .csv)"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_grants(user)


class ApprovalForm(forms.Form):
    approved_amount = forms.CharField(label=_("Approved amount (CNY)"), max_length=20)
    reference = forms.CharField(label=_("Approval number"), max_length=40, required=False)


# A loan's due date starts two weeks out (a unit of lessons); lab staff change it per loan.
DEFAULT_LOAN_DAYS = 14


class LendForm(forms.Form):
    kit = forms.ModelChoiceField(label=_("Kit"), queryset=Kit.objects.none(), required=False)
    # Searched or scanned (kits/pickers.py); only what is in stock can be lent.
    asset = AssetField(
        label=_("Asset"),
        queryset=Asset.objects.none(),
        required=False,
        widget=AssetPicker(params={"status": AssetStatus.IN_STOCK}),
    )
    borrower_kind = forms.ChoiceField(label=_("Borrower type"), choices=BorrowerKind.choices)
    borrower = forms.ModelChoiceField(
        label=_("Borrower"), queryset=get_user_model().objects.none(), required=False
    )
    class_name = forms.CharField(label=_("Class"), max_length=40, required=False)
    # type=date inputs take ISO dates only, whatever the language's date format
    due_on = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, school_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kit"].queryset = Kit.objects.filter(school_id=school_id, status=KitStatus.AVAILABLE)
        self.fields["asset"].queryset = sorted_assets(
            Asset.objects.filter(room__school_id=school_id, status=AssetStatus.IN_STOCK)
        )
        # The school's own people: a platform administrator is never a borrower, even with a school.
        self.fields["borrower"].queryset = (
            get_user_model()
            .objects.filter(school_id=school_id, is_active=True, is_superuser=False)
            .order_by("display_name", "username")
        )
        self.fields["due_on"].initial = timezone.localdate() + timedelta(days=DEFAULT_LOAN_DAYS)
        self.fields["borrower"].label_from_instance = lambda user: f"{user.public_name}（{user.username}）"
        # A class is chosen from the school's classes; typed only where the school has none yet.
        classes = school_class_names(school_id)
        if classes:
            self.fields["class_name"] = forms.ChoiceField(
                label=_("Class"), required=False, choices=[("", "—"), *((n, n) for n in classes)]
            )


class ReturnForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("Condition"), choices=ReturnCondition.choices, initial=ReturnCondition.GOOD
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, loan, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = []
        if loan.kit_id:
            for item in loan.kit.template.items.select_related("tool_type"):
                name = f"missing_{item.tool_type.slug}"
                self.fields[name] = forms.IntegerField(
                    label=_("Missing: %(part)s (of %(quantity)s)")
                    % {"part": item.tool_type.name, "quantity": item.quantity},
                    min_value=0,
                    max_value=item.quantity,
                    initial=0,
                    required=False,
                )
                self.parts.append((item.tool_type.slug, name))

    def missing(self):
        return {slug: self.cleaned_data[name] for slug, name in self.parts if self.cleaned_data.get(name)}


class StocktakeForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Maker room"), queryset=MakerRoom.objects.none())

    def __init__(self, *args, user, **kwargs):
        from . import policy

        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = policy.rooms.scope(user, MakerRoom.objects.all(), action="change")


class ScanForm(forms.Form):
    tag = forms.CharField(
        label=_("Asset tag"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )


class ReservationForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Maker room"), queryset=MakerRoom.objects.none())
    class_name = forms.CharField(label=_("Class"), max_length=40)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    starts_at = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends_at = forms.TimeField(label=_("End time"), widget=forms.TimeInput(attrs={"type": "time"}))
    kit_count = forms.CharField(label=_("Number of kits"), max_length=6)
    purpose = forms.CharField(label=_("Purpose"), max_length=120, required=False)

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
