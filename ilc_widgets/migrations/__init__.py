"""Alembic migrations of the network schema (run by :func:`ilc_widgets.db.upgrade`)."""
