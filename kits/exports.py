"""Spreadsheet exports (XLSX and CSV) with Chinese column headers, for the city report and a
school's purchases. Amounts stay Decimal: CSV writes them as text, XLSX as numbers with 2 places.
Every file is written by makerroom.core.spreadsheets (formula-safe)."""

from decimal import Decimal

from django.http import HttpResponse
from makerroom.core.models import SchoolStage
from makerroom.core.spreadsheets import csv_bytes, xlsx_sheet

CITY_COLUMNS = [
    "学校代码",
    "学校",
    "区",
    "学段",
    "每校上限（元）",
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


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sheet_bytes(columns, rows, title, file_format):
    """The file itself, written by the core's one formula-safe writer: a supplier named
    "=HYPERLINK(…)" comes out as that text, never as a formula."""
    table = [list(columns), *rows]
    if file_format == "csv":
        return csv_bytes(
            [["" if v is None else f"{v:.2f}" if isinstance(v, Decimal) else v for v in row] for row in table]
        )
    widths = [max(10, len(heading) * 2 + 2) for heading in columns]
    return xlsx_sheet(title, table, widths=widths, freeze="A2")


def respond(columns, rows, filename, file_format):
    """An XLSX or CSV download."""
    file_format = "csv" if file_format == "csv" else "xlsx"
    response = HttpResponse(
        sheet_bytes(columns, rows, filename, file_format), content_type=CONTENT_TYPES[file_format]
    )
    response["Content-Disposition"] = f"attachment; filename={filename}.{file_format}"
    return response
