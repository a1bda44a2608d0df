"""`orderdesk shop init --public-url` and ORDERDESK_PUBLIC_URL: kept when valid, exit 2 with one line when not."""

from __future__ import annotations

import pytest

from orderdesk.bootstrap import services_for
from orderdesk.cli.main import main

INIT = ["shop", "init", "--name", "Shop", "--email", "a@b.c", "--currency", "EUR"]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ORDERDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ORDERDESK_PUBLIC_URL", raising=False)


def test_shop_init_stores_the_public_url(tmp_path):
    url = f"sqlite:///{tmp_path}/cli.db"
    assert main([*INIT, "--database-url", url, "--public-url", "https://orders.example.com/"]) == 0
    assert services_for(url).shop().public_url == "https://orders.example.com"


@pytest.mark.parametrize("bad", ["orders.example.com", "https://orders.example.com/?a=1", "ftp://orders.example.com"])
def test_a_bad_public_url_exits_2_with_one_line(tmp_path, capsys, bad):
    url = f"sqlite:///{tmp_path}/cli.db"
    assert main([*INIT, "--database-url", url, "--public-url", bad]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "public_url" in err and "Traceback" not in err


def test_a_bad_orderdesk_public_url_stops_the_commands_that_serve(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("ORDERDESK_PUBLIC_URL", "orders.example.com")
    assert main(["db", "upgrade", "--database-url", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ORDERDESK_PUBLIC_URL" in err
