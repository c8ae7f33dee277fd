"""Django's Redis cache backend, with one Redis client per connection pool.

Django's own makes a new `redis.Redis` for every cache call, and each one builds its table of
some two hundred reply handlers: a signed-in page makes four calls (its session, the user's
permissions, the staff pickers, a count estimate). A client is safe to share between threads;
its connections come from the pool either way."""

from typing import Any

from django.core.cache.backends import redis


class ReusedClients(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClients
