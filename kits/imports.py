"""Import purchase lines from a school's procurement sheet (XLSX or CSV), all or nothing.

The layout is the one of docs/samples/采购明细导入样例.csv: a header row with these Chinese column
names (order free, other columns ignored). Every row is checked; if any row is wrong nothing is
saved and each problem is reported with its row number, column and reason.

An import never charges twice:

* the screen first shows a **preview** — the same rows through the same rules of kits.services
  (`preview_purchase_lines`: the checks of `record_purchases`, saving nothing and locking nothing),
  so it shows the subsidy of each row, the totals and what is left of the grant after — and saves
  only when the user confirms (a job, in batches, each deciding again under the grant lock);
* an invoice number already recorded for the school, or twice in one file, is a row error unless
  the row says it is a further line of that invoice (column 同一发票续行: 是); "already recorded" is
  kits.services.recorded_invoices, the rule every purchase line goes through, asked here for the
  whole file before anything is saved;
* the same file (SHA-256) imported again for the school is refused;
* invoice numbers are text: a long number that Excel stored as a number (and rounded) is refused
  with a message saying to format the column as text.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from . import services
from .models import PurchaseImport, ToolType

COLUMNS = {
    "purchased_on": "采购日期",
    "slug": "品目编码",
    "name": "品名",
    "quantity": "数量",
    "unit_cost": "单价（元）",
    "total_cost": "金额（元）",
    "supplier": "供应商",
    "invoice_number": "发票号码",
    "continuation": "同一发票续行",
}
YES = {"是", "y", "yes", "1", "true", "√", "✓"}
# A float holds 15 significant digits exactly: a longer invoice number stored as a number was rounded.
EXACT_DIGITS = 15
SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
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
class PreviewRow:
    row: int
    tool: object
    quantity: int
    unit_cost: object
    total_cost: object
    subsidy: object
    supplier: str
    invoice_number: str

    @property
    def self_funded(self):
        return self.total_cost - self.subsidy

    @property
    def split(self):
        return services.subsidy_split(self.subsidy, self.total_cost)

    @property
    def partial(self):
        """The grant pays less than the line costs (what is left ran out, or the programme's share)."""
        return self.subsidy < self.total_cost


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    purchases: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # PreviewRow per line, in file order
    sha256: str = ""
    grant_left_before: object = None
    rows_saved_before: int = 0  # a job's retry: rows an earlier run saved

    @property
    def ok(self):
        return not self.errors

    @property
    def total_cost(self):
        return sum((r.total_cost for r in self.rows), Decimal("0.00"))

    @property
    def subsidy(self):
        return sum((r.subsidy for r in self.rows), Decimal("0.00"))

    @property
    def self_funded(self):
        return self.total_cost - self.subsidy

    @property
    def grant_left_after(self):
        return None if self.grant_left_before is None else self.grant_left_before - self.subsidy

    @property
    def partial_rows(self):
        return [r for r in self.rows if r.partial]


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


def invoice_text(value):
    """The invoice number as text; a ValueError when Excel stored it as a number and rounded it."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        if len(str(abs(value))) > EXACT_DIGITS:
            raise ValueError
        return str(value)
    if isinstance(value, float):
        if not value.is_integer() or len(str(int(abs(value)))) > EXACT_DIGITS:
            raise ValueError
        return str(int(value))
    text = str(value or "").strip()
    if SCIENTIFIC.match(text):  # 2.5442E+19: a CSV saved from a sheet where the column was a number
        raise ValueError
    return text


def file_sha256(upload):
    upload.seek(0)
    digest = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    return digest


def preview_purchases(upload, filename, *, grant, user):
    """What the import would do, saving nothing and locking nothing (it runs in the request, and a
    sheet of 5,000 rows must not keep the school's other purchases waiting): the rows with their
    subsidy, the totals and what is left of the grant after (or the row errors)."""
    return import_purchases(upload, filename, grant=grant, user=user, dry_run=True)


def import_purchases(upload, filename, *, grant, user, dry_run=False, job=None, progress=None):
    """Check every row, then save them all (or, with `dry_run`, show what saving would do).

    With `dry_run` (the preview) the rows go through services.preview_purchase_lines: the rules of
    the save, on the grant as it is now, with nothing written and no lock taken.
    Called directly the rows are saved in one transaction: all or nothing (the grant stays locked
    until it ends: ~1 ms a row since the rows go in bulk; only tests and scripts do this).
    Run by a job (`job` given: kits.import_jobs) the rows are saved in batches of BATCH_ROWS, each
    in its own transaction with the grant row locked for that batch only, so a 5,000-row sheet
    never holds the lock for the whole file. The PurchaseImport row is written first and counts
    the rows saved (`rows_done`); if a batch fails (the grant was used up meanwhile, say) the
    batches before it stay saved and a retry of the same job continues after them.
    """
    result = ImportResult()
    try:
        result.sha256 = file_sha256(upload)
        rows = read_rows(upload, filename)
    except ValidationError as error:
        result.errors.append(RowError(1, "—", " ".join(error.messages)))
        return result
    school_id = grant.room.school_id
    earlier = PurchaseImport.objects.filter(school_id=school_id, sha256=result.sha256).first()
    resumed = earlier is not None and not earlier.complete and job is not None and earlier.job_id == job.pk
    if earlier is not None and not resumed:
        result.errors.append(RowError(1, "—", _already_imported(earlier)))
        return result
    done_before = earlier.rows_done if resumed else 0
    # Invoices saved by this very file's earlier batches are not "already recorded".
    recorded = _recorded_invoices(rows[done_before:], school_id, exclude=rows[:done_before])
    seen = {}
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
        if not _cell(record, "supplier"):
            errors.append(RowError(number, COLUMNS["supplier"], _("This column is required.")))
        invoice = _invoice_errors(number, record, errors, seen, recorded)
        result.errors += errors
        if not errors:
            parsed.append((number, tool, purchased_on, values, record, invoice))
    if result.errors:
        return result

    # Every row parsed: now apply them, checking the rules row by row. A preview decides by the
    # very same rules without saving (or locking) anything, so what it shows is what confirming
    # saves unless the grant changes meanwhile; the job decides again under the lock.
    grant.refresh_from_db()
    result.grant_left_before = grant.left
    if dry_run:
        _apply(parsed, grant, user, result, dry_run=True)
        result.purchases = []
        return result
    if job is None:
        with transaction.atomic():
            _apply(parsed, grant, user, result)
            if result.errors:
                result.purchases = []
                transaction.set_rollback(True)
            else:
                _open_import(school_id, grant, result, filename, user, complete=True, rows=len(parsed))
        return result

    entry = earlier if resumed else _open_import(school_id, grant, result, filename, user, job=job)
    if progress is not None:
        progress(done_before, len(parsed))
    for start in range(done_before, len(parsed), BATCH_ROWS):
        batch = parsed[start : start + BATCH_ROWS]
        with transaction.atomic():  # record_purchases locks the grant (and school) for this batch only
            saved = len(result.rows)
            _apply(batch, grant, user, result)
            if result.errors:
                del result.rows[saved:], result.purchases[saved:]
                transaction.set_rollback(True)
                break
            lines = result.rows[saved:]
            PurchaseImport.objects.filter(pk=entry.pk).update(
                rows_done=F("rows_done") + len(batch),
                total_cost=F("total_cost") + sum((r.total_cost for r in lines), Decimal("0.00")),
                subsidy=F("subsidy") + sum((r.subsidy for r in lines), Decimal("0.00")),
            )
        if progress is not None:
            progress(start + len(batch))
    if not result.errors:
        PurchaseImport.objects.filter(pk=entry.pk).update(complete=True, rows=len(parsed))
    result.rows_saved_before = done_before
    return result


# Rows saved in one transaction when an import runs as a job (the grant is locked for one batch).
BATCH_ROWS = 200


def _apply(parsed, grant, user, result, dry_run=False):
    """Record the parsed rows through kits.services.record_purchases (the rules of
    record_purchase, a fixed number of queries per BATCH_ROWS rows), appending to `result` (rows
    or errors). The grant and its school stay locked until the caller's transaction ends.
    With `dry_run`, decide them all at once through services.preview_purchase_lines instead: the
    same rules and outcomes, nothing saved, nothing locked."""
    size = max(len(parsed), 1) if dry_run else BATCH_ROWS
    decide = services.preview_purchase_lines if dry_run else services.record_purchases
    for start in range(0, len(parsed), size):
        chunk = parsed[start : start + size]
        outcomes = decide(
            grant=grant,
            lines=[
                services.PurchaseLine(
                    tool_type=tool,
                    quantity=values["quantity"],
                    unit_cost=values["unit_cost"],
                    supplier=str(_cell(record, "supplier")),
                    invoice_number=invoice,
                    purchased_on=purchased_on,
                    continues_invoice=_is_continuation(record),
                )
                for _number, tool, purchased_on, values, record, invoice in chunk
            ],
            user=user,
        )
        for (number, tool, *_rest), outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, ValidationError):
                for name, messages in outcome.message_dict.items():
                    result.errors.append(RowError(number, FIELD_COLUMNS.get(name, name), " ".join(messages)))
                continue
            result.purchases.append(outcome)
            result.rows.append(
                PreviewRow(
                    number,
                    tool,
                    outcome.quantity,
                    outcome.unit_cost,
                    outcome.total_cost,
                    outcome.subsidy,
                    outcome.supplier,
                    outcome.invoice_number,
                )
            )


def _open_import(school_id, grant, result, filename, user, *, complete=False, rows=0, job=None):
    """The PurchaseImport row: written with the rows (direct import) or before them (a job)."""
    return PurchaseImport.objects.create(
        school_id=school_id,
        grant=grant,
        sha256=result.sha256,
        filename=str(filename)[:200],
        rows=rows,
        rows_done=rows,
        total_cost=result.total_cost if complete else Decimal("0.00"),
        subsidy=result.subsidy if complete else Decimal("0.00"),
        imported_by=user if user is not None and user.is_authenticated else None,
        complete=complete,
        job=job,
    )


def _already_imported(earlier):
    if not earlier.complete:
        return _("This file is being imported (%(done)s rows saved so far); nothing was imported again.") % {
            "done": earlier.rows_done
        }
    return _("This file was already imported on %(date)s (%(rows)s rows); nothing was imported again.") % {
        "date": f"{earlier.imported_at:%Y-%m-%d %H:%M}",
        "rows": earlier.rows,
    }


def _is_continuation(record):
    return str(record.get(COLUMNS["continuation"]) or "").strip().lower() in YES


def _invoice_numbers(rows):
    numbers = set()
    for _number, record in rows:
        try:
            numbers.add(invoice_text(record.get(COLUMNS["invoice_number"])))
        except ValueError:
            continue
    return numbers


def _recorded_invoices(rows, school_id, exclude=()):
    """{invoice number: purchase date} of the rows' invoice numbers already recorded for the school
    (leaving out the numbers of the rows `exclude`: those an earlier batch of this file saved)."""
    numbers = _invoice_numbers(rows) - _invoice_numbers(exclude)
    return services.recorded_invoices(school_id, numbers)  # the rule record_purchase applies per line


def _invoice_errors(number, record, errors, seen, recorded):
    """Check a row's invoice number (appending RowErrors); return it as text."""
    column = COLUMNS["invoice_number"]
    try:
        invoice = invoice_text(record.get(column))
    except ValueError:
        errors.append(
            RowError(
                number,
                column,
                _(
                    "Excel stored the invoice number as a number and rounded it: format the invoice number column as text and type the numbers again."
                ),
            )
        )
        return ""
    if not invoice:
        errors.append(RowError(number, column, _("This column is required.")))
        return ""
    if _is_continuation(record):
        return invoice
    if invoice in seen:
        errors.append(
            RowError(
                number,
                column,
                _(
                    "Invoice %(invoice)s is already on row %(row)s. If this row is a further line of that invoice, write 是 in the column 同一发票续行."
                )
                % {"invoice": invoice, "row": seen[invoice]},
            )
        )
    elif invoice in recorded:
        errors.append(
            RowError(
                number,
                column,
                _(
                    "Invoice %(invoice)s is already recorded for this school (purchase of %(date)s). If this row is a further line of that invoice, write 是 in the column 同一发票续行."
                )
                % {"invoice": invoice, "date": recorded[invoice]},
            )
        )
    seen.setdefault(invoice, number)
    return invoice
