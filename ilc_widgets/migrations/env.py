"""Alembic environment: migrations run on the connection that ``db.upgrade`` hands over."""

from __future__ import annotations

from alembic import context

from ilc_widgets.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the kit always passes its connection
    raise RuntimeError("run migrations through ilc_widgets.db.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
