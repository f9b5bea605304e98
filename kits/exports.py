"""Spreadsheet exports (XLSX and CSV) with Chinese column headers, for the city report and a
school's purchases. Amounts stay Decimal: CSV writes them as text, XLSX as numbers with 2 places."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from makerroom.core.models import SchoolStage
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MONEY_FORMAT = "#,##0.00"

CITY_COLUMNS = [
    "学校代码",
    "学校",
    "区",
    "学段",
    "资助上限（元）",
    "已批准（元）",
    "已使用（元）",
    "剩余（元）",
    "使用率",
]
PURCHASE_COLUMNS = [
    "序号",
    "采购日期",
    "品目编码",
    "品名",
    "类别",
    "数量",
    "单位",
    "单价（元）",
    "金额（元）",
    "资助金额（元）",
    "自筹金额（元）",
    "供应商",
    "发票号码",
    "资助项目",
]


def city_rows(report, cap):
    stages = dict(SchoolStage.choices)
    for row in report:
        approved = row["approved"] or Decimal("0.00")
        charged = row["charged"] or Decimal("0.00")
        share = f"{charged * 100 / approved:.1f}%" if approved else "—"
        yield [
            row["code"],
            row["name"],
            row["district"],
            str(stages.get(row["stage"], row["stage"])),
            cap,
            approved,
            charged,
            approved - charged,
            share,
        ]


def purchase_rows(purchases):
    for number, p in enumerate(purchases, start=1):
        yield [
            number,
            p.purchased_on,
            p.tool_type.slug,
            p.tool_type.name,
            p.tool_type.category.name,
            p.quantity,
            p.tool_type.unit,
            p.unit_cost,
            p.total_cost,
            p.subsidy,
            p.total_cost - p.subsidy,
            p.supplier,
            p.invoice_number,
            p.grant.programme.name,
        ]


def respond(columns, rows, filename, file_format):
    if file_format == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so that Excel opens the UTF-8 file with its Chinese intact
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else f"{v:.2f}" if isinstance(v, Decimal) else v for v in row])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            xlsx_bytes(columns, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = (
        f"attachment; filename={filename}.{'csv' if file_format == 'csv' else 'xlsx'}"
    )
    return response


def xlsx_bytes(columns, rows):
    # Write-only mode streams rows: the city report has a row per school.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for index, title in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(title) * 2 + 2)
    sheet.freeze_panes = "A2"
    header = []
    for title in columns:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                value = WriteOnlyCell(sheet, value=value)
                value.number_format = MONEY_FORMAT
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
