"""The Redis cache answers like an empty cache while Redis is unreachable, and tries again later."""

import socket
import uuid

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from core.cache import FallbackRedisCache


def _closed_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def _cache(url: str) -> FallbackRedisCache:
    return FallbackRedisCache(url, {"KEY_PREFIX": uuid.uuid4().hex})


def test_an_unreachable_redis_reads_as_misses_and_swallows_writes():
    cache = _cache(_closed_url())

    cache.set("k", 1)
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 1) is False
    assert cache.get_or_set("k", 5) == 5
    with pytest.raises(ValueError):
        cache.incr("counter")


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(monkeypatch):
    # given a cache whose first call failed
    cache = _cache(_closed_url())
    cache.get("k")
    attempts = []
    monkeypatch.setattr(type(cache._cache), "get", lambda *args: attempts.append(args))

    # when it is asked again at once
    cache.get("k")

    # then no connection was attempted
    assert attempts == []


def test_ping_reports_the_outage_that_reads_hide():
    with pytest.raises(RedisConnectionError):
        _cache(_closed_url()).ping()


def test_it_is_a_plain_redis_cache_when_redis_answers():
    cache = _cache("redis://127.0.0.1:6379/0")
    try:
        cache.ping()
    except RedisConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")

    cache.set("k", {"v": 1}, 30)

    assert cache.get("k") == {"v": 1}
    cache.delete("k")
