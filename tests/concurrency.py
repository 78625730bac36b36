"""Helpers for PostgreSQL tests that need committed data and several connections at once."""

import threading

from django.db import connection


def in_own_connection(work):
    """Run `work` in a thread, on its own autocommit connection, and return its result.

    Data written this way is committed, so other threads' connections see it (the test's own
    transaction would hide it from them).
    """
    box = {}

    def run():
        try:
            box["result"] = work()
        except Exception as exc:  # re-raised in the caller's thread
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if thread.is_alive():
        raise TimeoutError("work in its own connection did not finish within 120 s")
    if "error" in box:
        raise box["error"]
    return box.get("result")
