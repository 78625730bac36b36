"""Long jobs (a CSV import, an export): never in the request, never "running" forever.

A job is a model row with a status, a `heartbeat_at` and a Celery task taking its id.
- `job_start` queues the task once the row is committed. With a broker it goes to a worker; without
  one (the embedded mode) or when the broker refuses, it runs in a small pool of threads of this
  process, so the request returns at once and a web worker's timeout never cuts it.
- `job_heartbeat` keeps `heartbeat_at` fresh from a side thread while the job runs, even inside one
  long transaction; a job whose process died stops beating.
- `job_stale_q` selects unfinished jobs without a sign of life for `TERROIR_JOB_STALE_MINUTES`; each
  app's sweep (a beat task, and a check when the job is shown) marks them failed with a message.
"""

import datetime
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 30

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _local_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:  # made on first use, in the process that uses it (after gunicorn's fork)
            _pool = ThreadPoolExecutor(max_workers=settings.TERROIR_JOB_THREADS, thread_name_prefix="job")
        return _pool


def _run_in_thread(task, args: tuple) -> None:
    try:
        task.apply(args=args)
    finally:
        connection.close()  # this thread's own database connection


def task_run_locally(task, *args) -> None:
    """Run a task in this process's job threads (in the caller, in the test suite)."""
    if settings.TERROIR_JOBS_INLINE:
        task.apply(args=args)
    else:
        _local_pool().submit(_run_in_thread, task, args)


def _start_now(task, job_id: int) -> None:
    if task.app.conf.task_always_eager:
        task_run_locally(task, job_id)
        return
    try:
        task.delay(job_id)
    except Exception:  # the broker is down: the job still runs, here
        logger.warning("Could not queue %s(%s); running it in this process", task.name, job_id, exc_info=True)
        task_run_locally(task, job_id)


def job_start(task, job_id: int) -> None:
    """Run `task(job_id)` in the background once the current transaction commits."""
    transaction.on_commit(partial(_start_now, task, job_id))


@contextmanager
def job_heartbeat(model, pk: int):
    """While the block runs, write `heartbeat_at = now` on the job every HEARTBEAT_SECONDS (the caller
    writes the first one when it marks the job running)."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    model.objects.filter(pk=pk).update(heartbeat_at=timezone.now())
                except Exception:
                    logger.warning("Heartbeat of %s %s failed", model.__name__, pk, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS)


def job_orphaned(job) -> bool:
    """A running job whose heartbeat stopped: its worker died and its message came back."""
    recent = timezone.now() - datetime.timedelta(seconds=2 * HEARTBEAT_SECONDS)
    return job.status == "running" and (job.heartbeat_at is None or job.heartbeat_at < recent)


def job_stale_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.TERROIR_JOB_STALE_MINUTES)


def job_stale_q(*, created_field: str) -> Q:
    """Jobs whose last heartbeat (or, never started, their creation) is older than the limit."""
    before = job_stale_before()
    return Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True, **{f"{created_field}__lt": before})
