"""A PostgreSQL schema of the benchmark's own, dropped when it is done."""

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
import redis


@contextmanager
def postgres_schema(url: str, name: str) -> Iterator[str]:
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options={quote(f'-csearch_path={name}')}"
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


def reachable(postgres_url: str, redis_url: str) -> str:
    """What is missing, or '' when both services answer."""
    try:
        psycopg.connect(postgres_url, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL at {postgres_url}: {type(exc).__name__}"
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"Redis at {redis_url}: {type(exc).__name__}"
    finally:
        client.close()
    return ""
