import csv
import io
from decimal import Decimal

from makerroom.core.spreadsheets import csv_bytes, xlsx_sheet
from openpyxl import load_workbook

HOSTILE = ['=HYPERLINK("http://x","y")', "=1+1", "+1", "-2", "@SUM(A1)", "\tx"]


def test_csv_cells_that_would_start_a_formula_stay_text():
    text = csv_bytes([["name"], *([v] for v in HOSTILE)]).decode("utf-8")
    assert text.startswith("\ufeff")
    cells = [row[0] for row in csv.reader(io.StringIO(text[1:]))]
    assert cells == ["name", *(f"'{value}" for value in HOSTILE)]


def test_xlsx_text_cells_are_strings_and_money_stays_exact():
    data = xlsx_sheet(
        "采购:明细", [["供应商", "金额"], *([v, Decimal("1234.50")] for v in HOSTILE)], freeze="A2"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "采购 明细"
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s"
        assert row[1].value == 1234.5 and row[1].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= 8
