"""The append path's statements, compiled once per dialect and run on the driver's cursor.

SQLAlchemy Core costs ~60–80 µs of CPU per execution on a slow core (execution context,
events, result metadata) against ~10–20 µs for the driver itself, and the single writer runs
five statements per entry: that overhead, not fsync, capped the store near 1,200 appends/s
(docs/performance.md). A Prepared statement is still written and compiled by SQLAlchemy —
the same SQL for each dialect, the same bind names — but executes with plain values and reads
plain rows. Use it only where no value needs converting on the way in or out (str, int,
bytes, bool, None): JSON and the like stay on Core. Driver errors are raised as SQLAlchemy's
own (IntegrityError, OperationalError …), as Core would.
"""

from collections import namedtuple
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.expression import ClauseElement


class Prepared:
    def __init__(self, statement: ClauseElement, keys: Sequence[str] | None = None) -> None:
        """`keys`: the columns an INSERT or UPDATE sets (its values come as parameters)."""
        self._statement = statement
        self._keys = list(keys) if keys is not None else None
        self._compiled: dict[str, Compiled] = {}  # by dialect name

    def _compile(self, conn: Connection) -> Compiled:
        compiled = self._compiled.get(conn.dialect.name)
        if compiled is None:
            compiled = self._statement.compile(dialect=conn.dialect, column_keys=self._keys)
            self._compiled[conn.dialect.name] = compiled
        return compiled

    def _run(self, conn: Connection, params: Mapping[str, Any]) -> Any:
        compiled = self._compile(conn)
        values = compiled.construct_params(dict(params)) or {}
        order = getattr(compiled, "positiontup", None)
        args: Any = tuple(values[name] for name in order) if order is not None else values
        dbapi = conn.connection.dbapi_connection
        if dbapi is None:  # pragma: no cover - a checked-out connection always has one
            raise RuntimeError("the connection is closed")
        cursor = dbapi.cursor()
        try:
            cursor.execute(compiled.string, args)
        except conn.dialect.loaded_dbapi.Error as exc:
            cursor.close()
            raise DBAPIError.instance(
                compiled.string, None, exc, conn.dialect.loaded_dbapi.Error, hide_parameters=True
            ) from exc
        return cursor

    def execute(self, conn: Connection, params: Mapping[str, Any]) -> None:
        self._run(conn, params).close()

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every row, each with its columns as attributes (like a Core Row)."""
        cursor = self._run(conn, params)
        try:
            row = _row_type(tuple(column[0] for column in cursor.description))
            return [row._make(values) for values in cursor.fetchall()]
        finally:
            cursor.close()


@cache
def _row_type(names: tuple[str, ...]) -> Any:
    return namedtuple("PreparedRow", names)
