"""Import purchase lines from a school's procurement sheet (XLSX or CSV), all or nothing.

The layout is the one of docs/samples/采购明细导入样例.csv: a header row with these Chinese column
names (order free, other columns ignored). Every row is checked; if any row is wrong nothing is
saved and each problem is reported with its row number, column and reason.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import services
from .models import ToolType

COLUMNS = {
    "purchased_on": "采购日期",
    "slug": "品目编码",
    "name": "品名",
    "quantity": "数量",
    "unit_cost": "单价（元）",
    "total_cost": "金额（元）",
    "supplier": "供应商",
    "invoice_number": "发票号码",
}
REQUIRED = ["purchased_on", "quantity", "unit_cost", "supplier", "invoice_number"]
# Where a service error about a field is reported.
FIELD_COLUMNS = {**COLUMNS, "tool_type": "品目编码", "grant": "—"}
MAX_ROWS = 5000


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    purchases: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def read_rows(upload, filename):
    """[(row number, {header: value})] from an uploaded XLSX or CSV file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("The file is not a readable XLSX workbook.")) from exc
        rows = workbook.active.iter_rows(values_only=True)
    elif name.endswith(".csv"):
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("The CSV file is neither UTF-8 nor GBK text."))
        rows = csv.reader(io.StringIO(text))
    else:
        raise ValidationError(_("Upload an .xlsx or .csv file."))
    rows = iter(rows)
    header = next(rows, None)
    if not header:
        raise ValidationError(_("The file is empty."))
    header = [str(h).strip() if h is not None else "" for h in header]
    missing = [COLUMNS[key] for key in REQUIRED if COLUMNS[key] not in header]
    if COLUMNS["slug"] not in header and COLUMNS["name"] not in header:
        missing.append(f"{COLUMNS['slug']}/{COLUMNS['name']}")
    if missing:
        raise ValidationError(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    result = []
    for number, values in enumerate(rows, start=2):
        record = {header[i]: v for i, v in enumerate(values) if i < len(header) and header[i]}
        if all(v is None or str(v).strip() == "" for v in record.values()):
            continue  # blank lines at the end of a sheet
        result.append((number, record))
        if len(result) > MAX_ROWS:
            raise ValidationError(_("At most %(max)s rows per import.") % {"max": MAX_ROWS})
    if not result:
        raise ValidationError(_("The file has no purchase rows."))
    return result


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", str(value or "").strip()
    )
    if not match:
        raise ValueError
    return date(*map(int, match.groups()))


def _cell(record, key):
    value = record.get(COLUMNS[key])
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return value if value is None or not isinstance(value, str) else value.strip()


def import_purchases(upload, filename, *, grant, user):
    result = ImportResult()
    try:
        rows = read_rows(upload, filename)
    except ValidationError as error:
        result.errors.append(RowError(1, "—", " ".join(error.messages)))
        return result
    tools = {t.slug: t for t in ToolType.objects.all()}
    by_name = {t.name: t for t in tools.values()}
    parsed = []
    for number, record in rows:
        errors = []
        slug, name = _cell(record, "slug") or "", _cell(record, "name") or ""
        tool = tools.get(slug) if slug else by_name.get(name)
        if tool is None:
            errors.append(
                RowError(
                    number,
                    COLUMNS["slug"] if slug else COLUMNS["name"],
                    _("%(value)s is not in the tool catalogue.") % {"value": slug or name or "—"},
                )
            )
        try:
            purchased_on = parse_date(record.get(COLUMNS["purchased_on"]))
        except ValueError:
            purchased_on = None
            errors.append(RowError(number, COLUMNS["purchased_on"], _("Write the date as 2026-03-02.")))
        values = {}
        for key, parse in (("quantity", services.parse_quantity), ("unit_cost", services.parse_money)):
            try:
                values[key] = parse(_cell(record, key), key)
            except ValidationError as error:
                errors.append(RowError(number, COLUMNS[key], " ".join(error.messages)))
        total = _cell(record, "total_cost")
        if total not in (None, "") and len(values) == 2:
            try:
                stated = services.parse_money(total, "total_cost")
                if stated != values["quantity"] * values["unit_cost"]:
                    errors.append(
                        RowError(
                            number,
                            COLUMNS["total_cost"],
                            _("%(total)s is not quantity × unit cost (%(computed)s).")
                            % {"total": stated, "computed": values["quantity"] * values["unit_cost"]},
                        )
                    )
            except ValidationError as error:
                errors.append(RowError(number, COLUMNS["total_cost"], " ".join(error.messages)))
        for key in ("supplier", "invoice_number"):
            if not _cell(record, key):
                errors.append(RowError(number, COLUMNS[key], _("This column is required.")))
        result.errors += errors
        if not errors:
            parsed.append((number, tool, purchased_on, values, record))
    if result.errors:
        return result

    # Every row parsed: now apply them in one transaction, checking the rules row by row.
    with transaction.atomic():
        for number, tool, purchased_on, values, record in parsed:
            try:
                result.purchases.append(
                    services.record_purchase(
                        grant=grant,
                        tool_type=tool,
                        quantity=values["quantity"],
                        unit_cost=values["unit_cost"],
                        supplier=str(_cell(record, "supplier")),
                        invoice_number=str(_cell(record, "invoice_number")),
                        purchased_on=purchased_on,
                        user=user,
                    )
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    result.errors.append(RowError(number, FIELD_COLUMNS.get(name, name), " ".join(messages)))
        if result.errors:
            result.purchases = []
            transaction.set_rollback(True)
    return result
