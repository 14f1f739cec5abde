"""Alembic migrations of the SafeReply database, shipped with the package."""
