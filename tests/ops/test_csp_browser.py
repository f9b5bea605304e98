"""In Chromium, the site's pages and the Wagtail admin work under their Content-Security-Policy:
no violation is reported, and the job page's script (a static file) runs."""

import pytest
from makerroom.core.models import Job, JobState

from . import job_runners

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def test_pages_and_the_admin_report_no_csp_violation(browser, live_server, django_user_model):
    from playwright.sync_api import expect

    admin = django_user_model.objects.create_superuser("root", password="pass-w0rd-123")
    # A job still waiting: the page's script (a static file) must poll it and show the end.
    job = Job.objects.create(owner=admin, runner=job_runners.count_lines.job_path, title="数行数", total=2)

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.on("pageerror", lambda error: violations.append(str(error)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "pass-w0rd-123")
    page.locator("form [type=submit]").first.click()
    page.wait_for_load_state("networkidle")

    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")
    assert (
        page.locator("#wagtail-sidebar, [data-side-panel], .sidebar").count() or "Wagtail" in page.content()
    )

    page.goto(f"{live_server.url}{job.get_absolute_url()}")
    assert page.locator("[data-job-download]").is_hidden()
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, done=2, result_file="jobs/result/lines.txt", result_name="lines.txt"
    )
    # Waited for through locators: page-side eval would itself be refused by the policy.
    expect(page.locator("[data-job-download]")).to_be_visible(timeout=15_000)
    expect(page.locator("[data-job-progress]")).to_have_text("100%")
    expect(page.locator("[data-job-count]")).to_have_text("2 / 2")
    context.close()
    assert violations == []
