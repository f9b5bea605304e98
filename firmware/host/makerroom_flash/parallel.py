"""Many boards at once: one tool process per board (esptool for a flash, mpremote for a sync),
run from a thread pool, each board's outcome reported as it finishes."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial

from .flasher import flash_board
from .plan import BoardResult, Plan
from .sync import sync_board


def flash_many(
    jobs: list[tuple[str, Plan, str]],
    *,
    baud: int = 460800,
    on_progress: Callable[[str, str, float], None] | None = None,
    on_done: Callable[[BoardResult], None] | None = None,
    max_parallel: int | None = None,
    timeout: float = 300.0,
) -> list[BoardResult]:
    """(port, plan, kit code) jobs run in parallel, one process per board; results in job order.

    A plan with files is a lesson-only sync (mpremote), any other a flash (esptool). on_done is
    called in the caller's thread as each board finishes (so it may use the caller's database
    connection); on_progress is called from worker threads.
    """
    if not jobs:
        return []

    def one(job: tuple[str, Plan, str]) -> BoardResult:
        port, plan, kit = job
        cb = partial(on_progress, port) if on_progress is not None else None
        if plan.fail:  # refused for this board before anything was written (see cli.make_plans)
            result = BoardResult.starting(plan, port, kit, 0)
            result.message = plan.fail
            return result
        if plan.files is not None:
            return sync_board(port, plan, kit=kit, on_progress=cb, timeout=timeout)
        return flash_board(port, plan, kit=kit, baud=baud, on_progress=cb, timeout=timeout)

    with ThreadPoolExecutor(max_workers=max_parallel or len(jobs)) as pool:
        futures = {pool.submit(one, job): i for i, job in enumerate(jobs)}
        results: list[BoardResult | None] = [None] * len(jobs)
        for future in as_completed(futures):
            result = future.result()
            results[futures[future]] = result
            if on_done:
                on_done(result)
    return [r for r in results if r is not None]
