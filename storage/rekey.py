"""Re-encrypting stored content with the current key, so an old key can be dropped."""

from __future__ import annotations

from sqlalchemy import Column, Engine, Table, Text, and_, column, select, table, update

from storage.crypto import SealedJSON, SealedText, cipher_of
from storage.models import Base

__all__ = ["reseal_all", "sealed_columns"]

_BATCH = 500


def sealed_columns() -> list[tuple[Table, list[Column[object]]]]:
    """Every table with sealed columns, found in the models (so a new one is never missed)."""
    found = []
    for model_table in Base.metadata.sorted_tables:
        sealed = [c for c in model_table.columns if isinstance(c.type, SealedJSON | SealedText)]
        if sealed:
            found.append((model_table, sealed))
    return found


def reseal_all(engine: Engine) -> int:
    """Seal every value not sealed with the current key again with it; returns how many.

    Works a batch at a time in its own transactions, so it can run while the server
    does; a value written meanwhile is sealed with the current key already.
    """
    cipher = cipher_of(engine.dialect)
    changed = 0
    for model_table, sealed in sealed_columns():
        keys = list(model_table.primary_key.columns)
        for sealed_column in sealed:
            # Read and write the ciphertext itself, past the column type.
            raw = table(
                model_table.name,
                *(column(k.name) for k in keys),
                column(sealed_column.name, Text()),
            )
            key = raw.c[keys[0].name]
            value = raw.c[sealed_column.name]
            last: object = None
            while True:
                query = select(key, value).where(value.is_not(None)).order_by(key).limit(_BATCH)
                if last is not None:
                    query = query.where(key > last)
                with engine.begin() as connection:
                    rows = connection.execute(query).all()
                    for row_key, sealed_value in rows:
                        if cipher.is_current(sealed_value):
                            continue
                        connection.execute(
                            update(raw)
                            .where(and_(key == row_key, value == sealed_value))
                            .values({sealed_column.name: cipher.reseal(sealed_value)})
                        )
                        changed += 1
                if len(rows) < _BATCH:
                    break
                last = rows[-1][0]
    return changed
