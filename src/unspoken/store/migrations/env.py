"""Alembic environment: migrations run on a connection handed over by unspoken.store.migrate."""

from alembic import context

from unspoken.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through unspoken.store.migrate.upgrade().")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
