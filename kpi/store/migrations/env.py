"""Alembic environment: migrates the store named by ``sqlalchemy.url`` or ``RBM_DATABASE_URL``."""
from __future__ import annotations

from alembic import context

from kpi.store.engine import make_engine
from kpi.store.models import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.begin() as conn:
        _migrate(conn)
    engine.dispose()


def _migrate(connection) -> None:
    # Batch mode lets ALTER TABLE work on SQLite (copy-and-move) as it does on PostgreSQL.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
