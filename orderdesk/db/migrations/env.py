"""Alembic environment: the engine is handed over by ``orderdesk.db.migrate``."""

from alembic import context

from orderdesk.db.tables import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    if engine.dialect.name == "sqlite":
        connection.info["write"] = True
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
