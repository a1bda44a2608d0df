"""The orderdesk command: set-up steps work, bad input exits 2 with a message."""

from orderdesk.cli.main import main


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
