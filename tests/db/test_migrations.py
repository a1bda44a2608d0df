"""The shipped migrations create exactly the tables the code uses, on both engines."""

from decimal import Decimal

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, select

from orderdesk.db import tables as t
from orderdesk.db.tables import metadata
from tests.conftest import utc


def test_migrated_schema_matches_the_table_definitions(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_money_columns_are_exact(engine):
    at = utc(2026, 1, 1)
    with engine.connect() as conn:
        conn.info["write"] = True
        pid = conn.execute(
            insert(t.products).values(title="Pen", handle="pen", created_at=at, updated_at=at).returning(t.products.c.id)
        ).scalar_one()
        conn.execute(
            insert(t.variants).values(product_id=pid, title="Blue", price=Decimal("0.10") + Decimal("0.20"), created_at=at, updated_at=at)
        )
        price = conn.execute(select(t.variants.c.price)).scalar_one()
        conn.rollback()
    assert price == Decimal("0.3") and isinstance(price, Decimal)


def test_tokens_become_apps_and_services_follow_their_token_to_its_app(backend, tmp_path):
    """0010: tokens that shared a name share an app; a fulfillment service registered by a
    token belongs to that token's app; subscriptions from before stay ownerless."""
    from sqlalchemy import text

    from orderdesk.db.engine import make_engine
    from orderdesk.db.migrate import downgrade, upgrade
    from tests.live.conftest import PG_ADMIN_URL, _pg_database

    drop = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'm.db'}"
    else:
        url, drop = _pg_database(PG_ADMIN_URL)
    engine = make_engine(url)
    try:
        _migrate_tokens(engine, text, upgrade, downgrade)
    finally:
        engine.dispose()
        if drop is not None:
            drop()


def _migrate_tokens(engine, text, upgrade, downgrade):
    upgrade(engine, "0009s")
    at = "2026-11-01 10:00:00"
    with engine.connect() as conn:
        conn.info["write"] = True
        for n, name in enumerate(["erp", "erp", "shipping"], start=1):
            conn.execute(
                text("INSERT INTO api_tokens (id, name, token_hash, scopes, created_at) VALUES (:id, :name, :hash, 'read_orders', :at)"),
                {"id": n, "name": name, "hash": f"h{n}", "at": at},
            )
        conn.execute(
            text("INSERT INTO locations (id, name, active, created_at, updated_at) VALUES (9, 'Mars', true, :at, :at)"), {"at": at}
        )
        conn.execute(
            text(
                "INSERT INTO fulfillment_services (id, name, handle, location_id, api_token_id, created_at, updated_at) "
                "VALUES (1, 'Mars', 'mars', 9, 2, :at, :at)"
            ),
            {"at": at},
        )
        conn.execute(
            text(
                "INSERT INTO webhook_subscriptions (id, address, topic, format, api_version, created_at, updated_at) "
                "VALUES (1, 'https://x.example.com', 'orders/create', 'json', '2024-10', :at, :at)"
            ),
            {"at": at},
        )
        conn.commit()
    upgrade(engine)
    with engine.connect() as conn:
        apps = dict(conn.execute(text("SELECT name, id FROM apps")).all())
        assert set(apps) == {"erp", "shipping"}
        assert dict(conn.execute(text("SELECT id, app_id FROM api_tokens")).all()) == {1: apps["erp"], 2: apps["erp"], 3: apps["shipping"]}
        assert conn.execute(text("SELECT app_id FROM fulfillment_services WHERE id = 1")).scalar() == apps["erp"]
        assert conn.execute(text("SELECT app_id FROM webhook_subscriptions WHERE id = 1")).scalar() is None
    downgrade(engine, "0009s")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT api_token_id FROM fulfillment_services WHERE id = 1")).scalar() == 1
