"""`orderdesk demo` as a newcomer runs it: a real process in an empty folder, no SMTP server.

The URLs it prints must answer when they are printed, a seeded order's status link must open,
and the emails the seed queued must all be captured, none failed or waiting for a retry.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from sqlalchemy import text

from orderdesk.db.engine import make_engine
from tests.loopback import free_port

pytestmark = pytest.mark.live


def _get(url: str, token: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"X-Shopify-Access-Token": token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def demo(tmp_path):
    """Start the demo; yield (its stdout lines so far, a function waiting for a line, port, folder)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERDESK_")}
    log = (tmp_path / "stderr.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "orderdesk", "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True).start()

    def wait_for(pattern: str, seconds: float = 120) -> re.Match:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in list(lines):
                if found := re.search(pattern, line):
                    return found
            assert proc.poll() is None, (tmp_path / "stderr.log").read_text()
            time.sleep(0.02)
        raise AssertionError(f"the demo never printed {pattern!r}: {''.join(lines)}")

    try:
        yield wait_for, port, tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_demo_answers_when_it_prints_its_urls_and_captures_its_emails(demo):
    wait_for, port, folder = demo
    # when the banner appears, the admin URL it names answers at once
    admin = wait_for(r"Admin \(orders\):\s+(\S+)").group(1)
    assert admin == f"http://127.0.0.1:{port}/admin/orders"
    status, _ = _get(admin)
    assert status == 200
    token = wait_for(r"Admin API token:\s+(shpat_\w+)").group(1)
    assert wait_for(r"emails are kept in the database")
    # a seeded order's status link, as the API gives it, opens the shopper's page
    status, body = _get(f"http://127.0.0.1:{port}/admin/api/2024-10/orders.json?status=any&fulfillment_status=shipped&limit=1", token)
    assert status == 200
    import json

    [order] = json.loads(body)["orders"]
    link = order["order_status_url"]
    assert urlsplit(link).netloc == f"127.0.0.1:{port}"
    status, page = _get(link)
    assert status == 200 and f"Order {order['name']}".encode() in page
    # and the worker captures every email the seed queued, with nothing failed or left to retry
    engine = make_engine(f"sqlite:///{folder}/orderdesk-data/demo.db")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            waiting = conn.execute(text("SELECT count(*) FROM outbox WHERE kind = 'email'")).scalar_one()
        if waiting == 0:
            break
        time.sleep(0.5)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE kind = 'email'")).scalar_one() == 0
        outcomes = dict(conn.execute(text("SELECT outcome, count(*) FROM notification_deliveries GROUP BY outcome")).all())
        done = conn.execute(text("SELECT count(*), max(attempts) FROM outbox_done WHERE kind = 'email'")).one()
        captured = conn.execute(text("SELECT count(*) FROM captured_emails")).scalar_one()
    engine.dispose()
    assert set(outcomes) == {"captured"}, outcomes
    assert captured == outcomes["captured"] == done[0] > 60 and done[1] == 1
    assert "failed" not in (folder / "stderr.log").read_text()
