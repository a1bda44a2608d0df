"""The claim query is served by the partial index whose predicate it repeats."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from orderdesk.db import outbox_claims


@pytest.mark.postgres_only
def test_claiming_uses_the_partial_outbox_index(engine):
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (event_id, kind, topic, payload, created_at, available_at, attempts) "
                "SELECT md5(g::text), 'webhook', 'orders/create', '{}'::jsonb, now(), now() + (g % 50) * interval '1 hour', 0 "
                "FROM generate_series(1, 20000) g"
            )
        )
        conn.execute(text("ANALYZE outbox"))
    with engine.connect() as conn:
        stmt = outbox_claims.claim_statement(
            conn, kinds=("job", "webhook", "email"), worker="w", now=now, lease=timedelta(minutes=2), limit=50
        )
        sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql.replace("%", "%%")))
    assert "ix_outbox_claimable" in plan, plan
