"""Alembic environment: the engine is handed over by ``orderdesk.db.migrate``."""

from alembic import context

from orderdesk.db.tables import metadata

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        connection.info["write"] = True
        # Batch migrations copy a table and drop the old one; with rows pointing at it, SQLite
        # would refuse the drop while foreign keys are enforced. The pragma only works outside
        # a transaction, so it goes to the driver's connection before SQLAlchemy begins one.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
        connection.commit()
    finally:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
