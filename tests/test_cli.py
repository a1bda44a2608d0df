"""The orderdesk command: set-up steps work, bad input exits 2 with a message."""

import pytest

from orderdesk.cli.main import main
from tests.loopback import free_port


def test_shop_init_token_create_and_list(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/cli.db"
    assert (
        main(["shop", "init", "--database-url", url, "--name", "Shop", "--email", "a@b.c", "--currency", "eur", "--rate", "USD=0.9"]) == 0
    )
    assert main(["token", "create", "--database-url", url, "--scopes", "read_orders,write_orders"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("shpat_") and len(token) == 6 + 32
    assert main(["token", "list", "--database-url", url]) == 0
    listed = capsys.readouterr().out
    assert "read_orders,write_orders" in listed and token not in listed


def test_bad_input_exits_with_code_2_and_a_message(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/cli.db"
    assert main(["shop", "init", "--database-url", url, "--name", "S", "--email", "a@b.c", "--currency", "XYZ"]) == 2
    assert "currency" in capsys.readouterr().err
    assert main(["token", "create", "--database-url", url, "--scopes", "read_everything"]) == 2
    assert "unknown scope" in capsys.readouterr().err
    assert main(["token", "revoke", "--database-url", url, "999"]) == 2
    assert main(["shop", "init", "--database-url", url, "--name", "S", "--email", "a@b.c", "--currency", "USD", "--rate", "EUR"]) == 2


def test_demo_seeds_sixty_orders_in_varied_states(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/demo.db"
    assert main(["demo", "--database-url", url, "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "Seeded the demo shop with 60 orders" in out and "shpat_" in out
    from orderdesk.bootstrap import services_for
    from orderdesk.db import queries
    from orderdesk.db.queries import OrderFilter

    services = services_for(url)
    with services.db.reading() as uow:
        orders, _ = queries.list_orders(uow.conn, OrderFilter(status="any"), limit=250)
    assert len(orders) == 60
    assert {o.status for o in orders} == {"open", "closed", "cancelled"}
    assert {"paid", "pending", "authorized"} <= {o.financial_status for o in orders}
    assert {"fulfilled", None} <= {o.fulfillment_status for o in orders}
    assert len({o.presentment_currency for o in orders}) >= 3
    ages = sorted((services.clock.now() - o.created_at).days for o in orders)
    assert ages[0] <= 2 and 80 <= ages[-1] <= 90


def _count(url: str, table: str) -> int:
    from sqlalchemy import text

    from orderdesk.db.engine import make_engine

    with make_engine(url).connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_seed_without_the_demo_rates_names_them_and_writes_nothing(tmp_path, capsys):
    # given a shop in EUR with a rate for USD only
    url = f"sqlite:///{tmp_path}/shop.db"
    assert main(["shop", "init", "--database-url", url, "--name", "S", "--email", "a@b.c", "--currency", "EUR", "--rate", "USD=0.9"]) == 0
    capsys.readouterr()
    # when seeded twice
    for _ in range(2):
        assert main(["seed", "--database-url", url]) == 2
        err = capsys.readouterr().err
        # then one line names every missing rate, and no product or order was written
        assert len(err.strip().splitlines()) == 1, err
        assert "CHF, GBP, JPY, SEK" in err and "--rate CHF=1.04" in err
    assert _count(url, "products") == 0 and _count(url, "orders") == 0


def test_a_seed_failing_half_way_leaves_nothing_behind(tmp_path, capsys, monkeypatch):
    from orderdesk.cli import demo
    from orderdesk.domain.errors import InvalidInput

    url = f"sqlite:///{tmp_path}/shop.db"
    rates = [f"--rate={code}={rate}" for code, rate in demo.DEMO_SHOP.exchange_rates.items()]
    assert main(["shop", "init", "--database-url", url, "--name", "S", "--email", "a@b.c", "--currency", "EUR", *rates]) == 0
    # given the 30th order fails to be placed
    real, placed = demo.orders.create_order, []

    def failing(*args, **kwargs):
        placed.append(1)
        if len(placed) == 30:
            raise InvalidInput("simulated failure", field="order")
        return real(*args, **kwargs)

    monkeypatch.setattr(demo.orders, "create_order", failing)
    assert main(["seed", "--database-url", url]) == 2
    assert "simulated failure" in capsys.readouterr().err
    assert _count(url, "products") == 0 and _count(url, "orders") == 0 and _count(url, "outbox") == 0


# --- bad input: one line on stderr, exit 2, nothing created -------------------------------------

MAIL_AND_DB_SETTINGS = (
    "ORDERDESK_DATABASE_URL",
    "ORDERDESK_PORT",
    "ORDERDESK_HOST",
    "ORDERDESK_SECRET_KEY",
    "ORDERDESK_DATA_DIR",
    "ORDERDESK_SMTP_HOST",
    "ORDERDESK_SMTP_PORT",
    "ORDERDESK_MAIL_CAPTURE",
)


@pytest.fixture
def empty_folder(tmp_path, monkeypatch):
    """An empty current folder and no orderdesk settings in the environment."""
    folder = tmp_path / "cwd"
    folder.mkdir()
    monkeypatch.chdir(folder)
    for name in MAIL_AND_DB_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return folder


def refused(argv: list[str], capsys) -> str:
    """Run the command; it must exit 2 with exactly one line on stderr. Returns that line."""
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("orderdesk: error: "), err
    return lines[0]


def everything_in(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["db", "upgrade", "--database-url", "bogus://x"], "unsupported database 'bogus'"),
        (["db", "upgrade", "--database-url", "nonsense"], "is not a database URL"),
        (
            ["serve", "--database-url", "postgresql://postgres@127.0.0.1:1/x"],
            "cannot open the database postgresql://postgres@127.0.0.1:1/x",
        ),
        (["shop", "init", "--name", "S", "--email", "a@b.c", "--currency", "EUR", "--timezone", "Mars/Base"], "'Mars/Base'"),
        (["shop", "init", "--name", "S", "--email", "a@b.c", "--currency", "XYZ"], "currency"),
        (["shop", "init", "--name", "S", "--email", "a@b.c", "--currency", "EUR", "--rate", "USD=abc"], "USD must be a positive decimal"),
        (["shop", "init", "--name", "S"], "required: --email, --currency"),
        (["serve", "--port", "99999"], "--port: must be a port number from 1 to 65535, got '99999'"),
        (["demo", "--port", "http"], "--port: must be a port number"),
        (["serve"], "there is no database at orderdesk-data/orderdesk.db"),
        (["worker"], "there is no database at orderdesk-data/orderdesk.db"),
        (["seed"], "there is no database"),
        (["worker", "--lease-seconds", "-5"], "--lease-seconds"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_creates_nothing(empty_folder, capsys, monkeypatch, argv, says):
    # A free default port, so a server running on 8000 on this machine changes no answer.
    monkeypatch.setenv("ORDERDESK_PORT", str(free_port()))
    assert says in refused(argv, capsys)
    assert everything_in(empty_folder) == []


def test_a_sqlite_file_in_a_missing_folder_is_refused_not_created(empty_folder, capsys):
    missing = empty_folder / "no" / "such" / "dir"
    for argv in (["db", "upgrade"], ["shop", "init", "--name", "S", "--email", "a@b.c", "--currency", "EUR"], ["demo", "--no-serve"]):
        line = refused([*argv, "--database-url", f"sqlite:///{missing}/x.db"], capsys)
        assert f"the folder {missing} does not exist" in line
    assert everything_in(empty_folder) == []


@pytest.mark.parametrize(
    ("variable", "value", "argv"),
    [
        ("ORDERDESK_PORT", "abc", ["serve"]),
        ("ORDERDESK_SMTP_PORT", "smtp", ["worker"]),
        ("ORDERDESK_MAIL_CAPTURE", "maybe", ["demo", "--no-serve"]),
        ("ORDERDESK_WEBHOOK_TIMEOUT", "0", ["worker"]),
    ],
)
def test_a_malformed_setting_is_named_in_one_line(empty_folder, capsys, monkeypatch, variable, value, argv):
    monkeypatch.setenv(variable, value)
    assert variable in refused(argv, capsys)
    assert everything_in(empty_folder) == []


def test_a_port_in_use_is_refused_before_the_demo_seeds(empty_folder, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert f"cannot listen on 127.0.0.1:{port}" in refused(["demo", "--port", str(port)], capsys)
    assert everything_in(empty_folder) == []


def test_refused_commands_on_an_existing_database_leave_no_secret_file(empty_folder, tmp_path, capsys):
    # given a shop elsewhere, without the demo's exchange rates, and a database with no shop
    shop_db, bare_db = f"sqlite:///{tmp_path}/shop.db", f"sqlite:///{tmp_path}/bare.db"
    assert main(["shop", "init", "--database-url", shop_db, "--name", "S", "--email", "a@b.c", "--currency", "EUR"]) == 0
    assert main(["db", "upgrade", "--database-url", bare_db]) == 0
    capsys.readouterr()
    # when commands that sign status links are refused
    assert "exchange rate" in refused(["seed", "--database-url", shop_db], capsys)
    assert "not set up" in refused(["worker", "--once", "--database-url", bare_db], capsys)
    assert "not set up" in refused(["seed", "--database-url", bare_db], capsys)
    # then no orderdesk-data/secret.key appeared in the current folder (nor anything else)
    assert everything_in(empty_folder) == []


def test_shop_init_with_a_time_zone_and_rates_then_seed(empty_folder, capsys):
    from orderdesk.cli.demo import DEMO_SHOP

    rates = [f"--rate={code}={rate}" for code, rate in DEMO_SHOP.exchange_rates.items()]
    argv = ["shop", "init", "--name", "S", "--email", "a@b.c", "--currency", "EUR", "--timezone", "Europe/Berlin", *rates]
    assert main(argv) == 0
    # the default database's folder is made for it; setting up a shop signs nothing, so no secret yet
    made = [p for p in everything_in(empty_folder) if not p.endswith(("-wal", "-shm"))]
    assert made == ["orderdesk-data", "orderdesk-data/orderdesk.db"]
    assert main(["seed"]) == 0
    assert "seeded 60 orders" in capsys.readouterr().out
    assert (empty_folder / "orderdesk-data" / "secret.key").exists()


def test_an_apps_signing_secret_is_printed_and_rotated(tmp_path):
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'apps.db'}"

    def od(*args):
        return subprocess.run([sys.executable, "-m", "orderdesk", *args, "--database-url", url], capture_output=True, text=True, timeout=60)

    assert od("db", "upgrade").returncode == 0
    assert od("token", "create", "--name", "erp", "--scopes", "read_orders").returncode == 0
    assert od("app", "list").stdout.split() == ["1", "erp"]
    first = od("app", "secret", "erp").stdout.strip()
    assert len(first) == 64
    rotated = od("app", "secret", "erp", "--rotate").stdout.strip()
    assert rotated != first and od("app", "secret", "erp").stdout.strip() == rotated
    missing = od("app", "secret", "nope")
    assert missing.returncode == 2 and missing.stderr.strip() == "orderdesk: error: no app called nope"
