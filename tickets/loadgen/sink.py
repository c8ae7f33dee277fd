"""Where generated rows go: `COPY ... FROM STDIN` on PostgreSQL, `executemany` elsewhere.

The row generator builds plain tuples of str, int, bool and None, with timestamps formatted by
`Sink.ts()` and JSON already serialised, so both sinks take the very same rows. Texts never
hold a tab, a newline or a backslash (world.py, texts.py), so the COPY sink writes them as
they are. Ids the generator must know (customers, orders, cases, compensations) come from
`Sink.ids()`, counted on from the table's largest id; the sequences are set past them before
each batch commits (`Sink.reset_sequences()`), so rows the application adds later get fresh
ids."""

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from django.core.management.color import no_style
from django.db import connection, models

# A row as both sinks take it: text, numbers, flags and NULL.
Row = tuple[str | int | bool | None, ...]

_DAY = 86_400


class IdCounter:
    """The next free id of one table, handed out one at a time."""

    def __init__(self, start: int) -> None:
        self.next = start

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value


class Sink:
    """Writes rows into the default database's tables, in the caller's transaction."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        # PostgreSQL reads the offset; Django's SQLite backend stores naive UTC text.
        suffix = "+00" if self.postgres else ""
        self._clock = [
            f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{suffix}" for s in range(_DAY)
        ]
        self._days: dict[int, str] = {}
        self._ids: dict[type[models.Model], IdCounter] = {}
        self._columns: dict[tuple[type[models.Model], tuple[str, ...]], str] = {}
        self.touched: set[type[models.Model]] = set()
        self.rows_written = 0
        self._pending: list[tuple[str, str]] = []

    def ts(self, epoch: int) -> str:
        """The timestamp `epoch` (whole seconds, UTC) as the database reads it."""
        day, second = divmod(epoch, _DAY)
        text = self._days.get(day)
        if text is None:
            text = self._days[day] = datetime.fromtimestamp(day * _DAY, UTC).strftime("%Y-%m-%d ")
        return text + self._clock[second]

    def ids(self, model: type[models.Model]) -> IdCounter:
        """The id counter of `model`'s table, read once per run from its largest id."""
        counter = self._ids.get(model)
        if counter is None:
            largest = model._default_manager.aggregate(largest=models.Max("pk"))["largest"]
            counter = self._ids[model] = IdCounter((largest or 0) + 1)
        return counter

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Sequence[Row]) -> None:
        """Insert `rows`, each a tuple in the order of `columns` (field names or attnames). On
        PostgreSQL the rows are serialised now and copied by `flush()`; elsewhere they are
        inserted at once, in the caller's transaction."""
        target = self._target(model, tuple(columns))
        self.touched.add(model)
        self.rows_written += len(rows)
        if self.postgres:
            text = "".join(
                ["\t".join(["\\N" if v is None else str(v) for v in row]) + "\n" for row in rows]
            )
            self._pending.append((target, text))
            return
        marks = ", ".join(["%s"] * len(columns))
        # Table and column names come from the models, never from input.
        sql = f"INSERT INTO {target} VALUES ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def take(self) -> list[tuple[str, str]]:
        """The COPY work written since the last call, for `flush()` (PostgreSQL only)."""
        pending, self._pending = self._pending, []
        return pending

    def flush(self, pending: list[tuple[str, str]]) -> None:
        """COPY `pending` into its tables, in the caller's transaction and thread."""
        if not pending:
            return
        with connection.cursor() as cursor:
            # A batch lost to a server crash is made again by the next run: no need to wait
            # for the disk at each commit.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            for target, text in pending:
                cursor.cursor.copy_expert(f"COPY {target} FROM STDIN", io.StringIO(text))

    def reset_sequences(self) -> None:
        """Move the id sequences of the tables written past their largest id."""
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.touched, key=str))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def _target(self, model: type[models.Model], columns: tuple[str, ...]) -> str:
        target = self._columns.get((model, columns))
        if target is None:
            quote = connection.ops.quote_name
            names = []
            for name in columns:
                field = model._meta.get_field(name)
                if not isinstance(field, models.Field) or not field.column:
                    raise ValueError(f"{name!r} is not a column of {model.__name__}.")
                names.append(quote(field.column))
            target = self._columns[(model, columns)] = (
                f"{quote(model._meta.db_table)} ({', '.join(names)})"
            )
        return target
