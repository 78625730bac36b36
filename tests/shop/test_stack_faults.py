"""The fault scenario of bench/stack_faults.py as a test: checkouts through nginx while a gunicorn
instance is killed (-9) and restarted, the Celery worker is killed and restarted and Redis restarts."""

import json
import os
import random
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from django.db import connection, connections

ROOT = Path(__file__).resolve().parents[2]
# The bench runs 200 checkouts; here 100 keep the CI pass near two minutes with the same faults.
CHECKOUTS = 100

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the stack runs on PostgreSQL (SQLite cannot serve several processes writing at once)",
    ),
    pytest.mark.skipif(
        not (shutil.which("nginx") and shutil.which("redis-server")),
        reason="needs Debian's nginx and redis-server (make stack / .ci/run install nginx)",
    ),
]


def _free_port_block(size: int = 4) -> int:
    """A first port with `size` free ports from it, on 127.0.0.1."""
    for __ in range(50):
        base = random.randint(20_000, 40_000)
        try:
            probes = []
            for port in range(base, base + size):
                probe = socket.socket()
                probes.append(probe)
                probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for probe in probes:
                probe.close()
        return base
    raise RuntimeError("no free ports")


def test_checkouts_survive_a_killed_web_instance_a_killed_worker_and_a_redis_restart(
    django_db_setup, django_db_blocker, tmp_path
):
    # given a copy of the test database (demo data), which needs no other session on it
    stack_dir, port = tmp_path / "stack", _free_port_block()
    with django_db_blocker.unblock():
        template = connection.settings_dict["NAME"]
        connections.close_all()
    url = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{template}_faults").geturl()
    # Connections earlier tests' threads left open on the test database would block the copy.
    admin = urlsplit(url)._replace(scheme="postgresql", path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [template],
        )

    # when the scenario runs against a stack of its own
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "stack_faults.py"),
            "--template",
            template,
            "--checkouts",
            str(CHECKOUTS),
            "--port",
            str(port),
            "--dir",
            str(stack_dir),
            "--drop",
            "--json",
        ],  # fmt: skip
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=600,
    )

    # then every confirmed order exists once, the stock adds up and each e-mail went out once
    output = run.stdout + run.stderr[-3000:]
    assert run.returncode == 0, output
    result = json.loads(next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))[7:])
    assert result["problems"] == [], output
    assert len(result["faults"]) == 5, output
    assert result["orders_in_database"] >= CHECKOUTS * 0.9, output
    before, after, in_lots = result["stock_before_after"]
    assert after == in_lots == before - result["units_sold"]
    assert result["emails_sent"] == result["emails_expected"] > 0
