"""Job runners used by the job tests (importable by a worker process started from the repository)."""

import time

from makerroom.core import jobs


@jobs.runner
def count_lines(job, progress):
    """Counts the lines of the input file, one step per line; with params {"fail_first": true}
    the first attempt fails with the rows it did not like, the retry succeeds."""
    with job.input_file.open("rb") as handle:
        lines = handle.read().decode().splitlines()
    progress(0, len(lines))
    bad = [{"row": n, "message": f"第 {n} 行有误"} for n, line in enumerate(lines, 1) if "?" in line]
    if job.params.get("fail_first") and job.attempts <= 1 and bad:
        raise jobs.JobFailed(f"有 {len(bad)} 行有误", rows=bad)
    for done in range(1, len(lines) + 1):
        time.sleep(job.params.get("step_seconds", 0))
        progress(done)
    return jobs.Result("lines.txt", f"{len(lines)} lines".encode())


@jobs.runner
def explode(job, progress):
    raise RuntimeError("a bug in the runner")
