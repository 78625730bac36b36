"""Long jobs run off the request: in a worker, or in this process's job threads, never "running" forever."""

import threading

import pytest
from celery import shared_task

from core import jobs

ran_in = []


@shared_task
def job_probe(job_id: int) -> None:
    ran_in.append((job_id, threading.current_thread().name))


def test_without_a_broker_a_job_runs_in_a_job_thread_not_in_the_request(settings):
    # given the embedded mode outside the test suite's inline setting
    settings.TERROIR_JOBS_INLINE = False
    ran_in.clear()

    # when a job is started
    jobs.task_run_locally(job_probe, 7)
    jobs._local_pool().submit(lambda: None).result(timeout=10)  # the pool has taken the job

    # then it ran in one of the bounded pool's threads
    for __ in range(100):
        if ran_in:
            break
        threading.Event().wait(0.05)
    assert ran_in and ran_in[0][0] == 7 and ran_in[0][1].startswith("job")
    assert jobs._local_pool()._max_workers == settings.TERROIR_JOB_THREADS


@pytest.mark.django_db
def test_an_unreachable_broker_runs_the_job_here_instead(redis_down, django_capture_on_commit_callbacks):
    ran_in.clear()

    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_start(job_probe, 3)

    assert [job_id for job_id, __ in ran_in] == [3]


class _Jobs:
    """Stands for a job model: records the heartbeats written."""

    def __init__(self):
        self.beats = []
        self.objects = self

    def filter(self, pk):
        self.pk = pk
        return self

    def update(self, **fields):
        self.beats.append((self.pk, tuple(fields)))


def test_a_running_job_beats_until_it_ends(monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.02)
    model = _Jobs()

    with jobs.job_heartbeat(model, 5):
        threading.Event().wait(0.2)
    beats = len(model.beats)
    threading.Event().wait(0.1)

    assert beats >= 2 and set(model.beats) == {(5, ("heartbeat_at",))}
    assert len(model.beats) == beats  # stopped with the job
