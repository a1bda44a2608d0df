"""A revoked token is refused on the very next request by every server process.

Two ``orderdesk serve`` processes share one database; both have the token cached (they just
answered with it); ``orderdesk token revoke`` runs in a third process; the next request to
either server is 401. Before, each process trusted its cache for up to 10 seconds.
"""

from __future__ import annotations

import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from tests.live.conftest import API_VERSION, PG_ADMIN_URL, _cli, _pg_database, _wait_until_up
from tests.loopback import free_port

pytestmark = pytest.mark.live


def _status(base: str, token: str) -> int:
    request = urllib.request.Request(f"{base}/admin/api/{API_VERSION}/orders/count.json", headers={"X-Shopify-Access-Token": token})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_revoked_token_is_refused_at_once_by_every_process(backend, tmp_path):
    drop = None
    if backend == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        database_url, drop = _pg_database(PG_ADMIN_URL)
    procs: list[subprocess.Popen] = []
    try:
        _cli("db", "upgrade", database_url=database_url)
        _cli("shop", "init", "--name", "T", "--email", "t@example.com", "--currency", "USD", database_url=database_url)
        token = (
            _cli("token", "create", "--name", "reporting", "--scopes", "read_orders", database_url=database_url).strip().splitlines()[-1]
        )
        keeper = (
            _cli("token", "create", "--name", "reporting", "--scopes", "read_orders", database_url=database_url).strip().splitlines()[-1]
        )
        bases = []
        for n in range(2):
            port = free_port()
            log_path = tmp_path / f"server{n}.log"
            with open(log_path, "w") as log:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "orderdesk", "serve", "--database-url", database_url, "--port", str(port)],
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
            _wait_until_up(procs[-1], port, token, log_path)
            bases.append(f"http://127.0.0.1:{port}")
        assert [_status(b, token) for b in bases] == [200, 200]  # now cached in both processes
        listed = _cli("token", "list", database_url=database_url)
        token_id = next(line.split("\t")[0] for line in listed.splitlines() if line.split("\t")[1] == "reporting")
        _cli("token", "revoke", token_id, database_url=database_url)
        assert [_status(b, token) for b in bases] == [401, 401]
        # The app's other token is untouched.
        assert [_status(b, keeper) for b in bases] == [200, 200]
    finally:
        for proc in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if drop is not None:
            drop()
