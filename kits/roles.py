"""What each role may do with kits at all: the model permissions the Wagtail admin checks first.
Where (which school's rows), and the rules beyond model permissions (who approves grants), are in
kits/policy.py."""

from makerroom.core import roles

# The city coordinator (市级统筹员) reads every school's rooms, grants and inventory; what they may
# change (approving grants) is decided in kits.policy.

_SCHOOL_MODELS = [
    "makerroom",
    "grant",
    "purchase",
    "asset",
    "stock",
    "kit",
    "loan",
    "reservation",
    "stocktake",
]
_CATALOGUE = ["toolcategory", "tooltype", "fundingprogramme", "kittemplate", "flashrecord"]

ROLE_PERMISSIONS = {
    roles.Role.LAB_STAFF: [
        *(f"kits.{action}_{model}" for model in _SCHOOL_MODELS for action in ("add", "change", "view")),
        *(f"kits.view_{model}" for model in _CATALOGUE),
        "kits.add_kittemplate",
        "kits.change_kittemplate",
    ],
    # Teachers book kits for their classes on the site (/lab/reservations/).
    roles.Role.TEACHER: ["kits.add_reservation", "kits.view_reservation"],
    roles.Role.CITY_COORDINATOR: [
        *(f"kits.view_{model}" for model in _SCHOOL_MODELS + _CATALOGUE),
    ],
}
