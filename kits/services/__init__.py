"""The rules of the kits domain, one module per aggregate. Every entry point (Wagtail admin, site
views, imports, the firmware tools, the demo seed) goes through these functions, never around them;
who may call them is asked of kits/policy.py.

* `money` — parsing amounts, quantities and MAC addresses
* `grants` — applying, approving, changing and closing grants (the programme cap)
* `purchases` — recording (one line, or many at once for the import), previewing many lines
  without saving or locking, and voiding purchase lines (charging the grant, an invoice charged once)
* `assets` — asset and kit status, flashed boards
* `loans`, `reservations`, `stocktakes` — lending, booking and counting
* `reports` — the grant dashboard and the city report

Errors are django ValidationErrors keyed by the field at fault, so forms and imports can name it;
a refusal by the policy is a PermissionDenied. Other apps call the names re-exported here
(`from kits import services; services.record_flash(...)`).
"""

from .assets import record_flash, validate_status_change
from .grants import (
    GRANT_AUDIT_FIELDS,
    approve_grant,
    close_grant,
    save_grant,
    school_cap_left,
    validate_grant,
)
from .loans import lend, refill_report, return_loan
from .money import (
    CENT,
    MAX_DURABLE_QUANTITY,
    MAX_QUANTITY,
    field_error,
    normalise_mac,
    parse_money,
    parse_quantity,
)
from .purchases import (
    PURCHASE_AUDIT_FIELDS,
    PurchaseLine,
    check_invoice,
    made_by,
    next_asset_tags,
    preview_purchase_lines,
    record_purchase,
    record_purchases,
    recorded_invoices,
    save_paperwork,
    subsidy_for,
    subsidy_split,
    subsidy_terms,
    void_purchase,
    void_purchases,
)
from .reports import MAKER_ROOM_PROGRAMME, city_report, grant_dashboard
from .reservations import PERIODS, availability, peak_booked, reserve, usable_kit_count
from .stocktakes import discrepancy_report, finish_stocktake, scan, start_stocktake

__all__ = [
    "CENT",
    "GRANT_AUDIT_FIELDS",
    "MAKER_ROOM_PROGRAMME",
    "MAX_DURABLE_QUANTITY",
    "MAX_QUANTITY",
    "PERIODS",
    "PURCHASE_AUDIT_FIELDS",
    "PurchaseLine",
    "approve_grant",
    "availability",
    "check_invoice",
    "close_grant",
    "city_report",
    "discrepancy_report",
    "field_error",
    "finish_stocktake",
    "grant_dashboard",
    "lend",
    "next_asset_tags",
    "normalise_mac",
    "preview_purchase_lines",
    "parse_money",
    "parse_quantity",
    "peak_booked",
    "record_flash",
    "made_by",
    "record_purchase",
    "record_purchases",
    "recorded_invoices",
    "reserve",
    "refill_report",
    "return_loan",
    "save_grant",
    "save_paperwork",
    "scan",
    "school_cap_left",
    "start_stocktake",
    "subsidy_for",
    "subsidy_split",
    "subsidy_terms",
    "usable_kit_count",
    "validate_grant",
    "validate_status_change",
    "void_purchase",
    "void_purchases",
]
