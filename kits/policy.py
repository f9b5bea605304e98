"""Who may view, add, change, delete and export each kits model, and how querysets are scoped.

This is the ONLY place kits says it. Services, site views, admin screens, the Wagtail viewsets
(index, inspect, edit, delete, history, usage, chooser, export) and other apps ask these policies;
none of them decides by itself.

The rules:

* *What* a role may do at all are the model permissions of `kits/roles.py`.
* *Where*: lab staff act on their own school's rows only; a city coordinator reads every school;
  a superuser does anything. City-wide data (tool catalogue, categories, funding programmes, kit
  templates) has no school: model permissions alone decide.
* *Grants*: lab staff apply (a grant in 申请中) and keep its paperwork; only a city coordinator or
  a superuser approves, changes an approved amount or closes a grant. Lab staff never change
  `status` or `approved_amount`, and once a grant is approved its programme, room and period are
  part of the approval too.
* *Kits for lessons*: teachers book kits of their own school's rooms (no other kits permission
  needed); anyone of a school reads the page an asset's QR label opens.

Every policy is registered with Wagtail (`register`), so every admin view of the model asks it.
This module is imported from `KitsConfig.ready()` before the viewsets and hooks are loaded.
"""

from django.utils.translation import gettext as _
from makerroom.core.policy import (
    SchoolPolicy,
    in_school,
    is_superuser,
    may_change_school,
    may_read_school,
    reads_every_school,
    register,
    require,
)
from makerroom.core.roles import Role, has_role

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


class KitsPolicy(SchoolPolicy):
    """A kits model: model permissions plus the row's school."""

    def may_act_in(self, user, action, school_id):
        """May the user `action` ("add", "change", …) rows of this model at that school?"""
        return self.user_has_permission(user, self._model_action(action)) and (
            may_read_school(user, school_id)
            if action in ("view", "export")
            else may_change_school(user, school_id)
        )

    def check_in(self, user, action, school_id, message=None):
        require(
            self.may_act_in(user, action, school_id),
            message or _("You can only change your own school's maker room."),
        )


class CataloguePolicy(KitsPolicy):
    """City-wide data: model permissions only."""

    school_path = None


class RoomPolicy(KitsPolicy):
    school_path = "school_id"


class GrantPolicy(KitsPolicy):
    school_path = "room__school_id"

    # What an approval covers: lab staff never change these on an approved or closed grant.
    APPROVAL_FIELDS = ("status", "approved_amount")
    APPROVED_TERMS = ("programme_id", "room_id", "starts_on", "ends_on")

    def may_approve(self, user, grant=None):
        """Approving, changing an approved amount, closing: city coordinators and superusers."""
        return is_superuser(user) or (
            has_role(user, Role.CITY_COORDINATOR) and user.is_active and user.is_authenticated
        )

    def check_approve(self, user, grant=None):
        require(self.may_approve(user, grant), _("Only a city coordinator approves or closes grants."))

    def locked_fields(self, user, grant):
        """The fields this user may not change on this grant (set of attribute names)."""
        if self.may_approve(user, grant):
            return set()
        locked = set(self.APPROVAL_FIELDS)
        if grant.pk and grant.status != GrantStatus.APPLIED:
            locked |= set(self.APPROVED_TERMS)
        return locked


class PurchasePolicy(KitsPolicy):
    school_path = "grant__room__school_id"


class AssetPolicy(KitsPolicy):
    school_path = "room__school_id"

    def may_view_label_page(self, user, asset):
        """The page a QR label opens: anyone of the asset's school (students read the safety notes)."""
        return may_read_school(user, asset.room.school_id)


class StockPolicy(KitsPolicy):
    school_path = "room__school_id"


class KitPolicy(KitsPolicy):
    school_path = "school_id"


class FlashRecordPolicy(KitsPolicy):
    """Flash records are written by flashing (the CLI, the API, the browser), never typed in."""

    school_path = "kit__school_id"

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def may_record(self, user, kit):
        """A flash is recorded against a kit by its school's people (the firmware tools ask)."""
        return user is not None and may_change_school(user, kit.school_id)


class LoanPolicy(KitsPolicy):
    school_path = "school_id"


class ReservationPolicy(KitsPolicy):
    school_path = "room__school_id"

    def bookable_rooms(self, user, queryset=None):
        """The rooms whose kits this user may book: their own school's (all, for the city-wide)."""
        queryset = MakerRoom.objects.all() if queryset is None else queryset
        if not self.user_has_permission(user, "add"):
            return queryset.none()
        if is_superuser(user) or reads_every_school(user):
            return queryset
        if user.school_id is None:
            return queryset.none()
        return queryset.filter(school_id=user.school_id)

    def may_book(self, user, room, teacher):
        """Teachers book for themselves at their own school; lab staff book for a teacher of theirs."""
        if user is None or not user.is_authenticated:
            return False
        if user == teacher:
            return is_superuser(user) or in_school(teacher, room.school_id)
        return may_change_school(user, room.school_id)


class StocktakePolicy(KitsPolicy):
    school_path = "room__school_id"


rooms = register(MakerRoom, RoomPolicy(MakerRoom))
grants = register(Grant, GrantPolicy(Grant))
purchases = register(Purchase, PurchasePolicy(Purchase))
assets = register(Asset, AssetPolicy(Asset))
stock = register(Stock, StockPolicy(Stock))
kits = register(Kit, KitPolicy(Kit))
flash_records = register(FlashRecord, FlashRecordPolicy(FlashRecord))
loans = register(Loan, LoanPolicy(Loan))
reservations = register(Reservation, ReservationPolicy(Reservation))
stocktakes = register(Stocktake, StocktakePolicy(Stocktake))
kit_templates = register(KitTemplate, CataloguePolicy(KitTemplate))
tool_types = register(ToolType, CataloguePolicy(ToolType))
tool_categories = register(ToolCategory, CataloguePolicy(ToolCategory))
programmes = register(FundingProgramme, CataloguePolicy(FundingProgramme))


def form_choices(user, queryset, school_path):
    """The choices of a school-bound form field: the user's own school's rows (all for superusers)."""
    if is_superuser(user):
        return queryset
    if user is None or not user.is_authenticated or user.school_id is None:
        return queryset.none()
    return queryset.filter(**{school_path: user.school_id})


def reads_every_school_report(user):
    """The city report (every school's grants): superusers and city coordinators."""
    return reads_every_school(user)


def sees_all_schools(user):
    """City-wide readers choose a school (?school=) on the dashboard and exports."""
    return reads_every_school(user)
