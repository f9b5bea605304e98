"""The one writer of spreadsheets (XLSX and CSV) every export uses.

Cells typed by people (a child's display name, a supplier's name) reach the spreadsheet as text,
never as a formula: a CSV cell starting with = + - @ or a tab gets a leading apostrophe, and every
XLSX text cell is stored as a string (CSV/formula injection). CSV starts with a BOM, because Excel
and WPS read Chinese correctly only with one.
"""

import csv
import io
import re
from decimal import Decimal

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """A value as it may go into a CSV cell: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return f"'{value}"
    return value


def csv_bytes(rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def sheet_title(text, fallback="sheet"):
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", str(text))[:31].strip() or fallback


def xlsx_bytes(sheets, *, money_format="#,##0.00"):
    """sheets: [(title, rows, options)] where options may hold `widths` (list of column widths in
    characters), `freeze` (a cell such as "B2") and `header` (rows[0] is a header, shown bold).
    Decimals are written as numbers with two places; strings always as strings."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    for empty in list(workbook.worksheets):  # the default sheet; ours are added below
        workbook.remove(empty)
    for title, rows, options in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even "=1+1"
                elif isinstance(value, Decimal):
                    cell.number_format = money_format
        if options.get("header", True) and rows:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
        widths = options.get("widths") or _auto_widths(rows)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if options.get("freeze"):
            sheet.freeze_panes = options["freeze"]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _auto_widths(rows, *, least=6, most=48):
    """Column widths from the longest value; a CJK character takes two columns."""
    widths = []
    for row in rows[:500]:
        for index, value in enumerate(row):
            text = "" if value is None else str(value)
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) + 2
            if index >= len(widths):
                widths.append(least)
            widths[index] = min(most, max(widths[index], size))
    return widths


def xlsx_sheet(title, rows, **options):
    """One sheet: xlsx_sheet("采购", rows, freeze="A2")."""
    return xlsx_bytes([(title, list(rows), options)])
