"""The Redis cache backend (aftersales/cache.py): Django's, with its clients reused."""

import pytest
from django.conf import settings

from aftersales.cache import RedisCache


def backend(url: str) -> RedisCache:
    return RedisCache(url, {"KEY_PREFIX": "test-cache"})


def test_each_call_reuses_the_one_client_of_its_pool():
    cache = backend("redis://127.0.0.1:6379/14")
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client("any key") is client


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_it_stores_and_reads_as_djangos_backend_does():
    cache = backend(settings.REDIS_URL.rsplit("/", 1)[0] + "/14")
    cache.clear()
    assert cache.add("a", {"set": {1, 2}}, 60)
    assert not cache.add("a", "other", 60)
    cache.set("b", [("x", None)], 60)
    assert cache.get_many(["a", "b", "c"]) == {"a": {"set": {1, 2}}, "b": [("x", None)]}
    cache.delete("a")
    assert cache.get("a") is None
    cache.clear()
