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
