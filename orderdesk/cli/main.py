"""``orderdesk``: demo | serve | db upgrade | shop init | shop rates show/set | token create/list/revoke | seed.

Bad input prints a message and exits with code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from ..config import Settings
from ..domain.errors import DomainError

DEMO_DATABASE_URL = "sqlite:///orderdesk-data/demo.db"


class UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="orderdesk", description="Self-hosted order management.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser, default: str = settings.database_url) -> None:
        p.add_argument("--database-url", default=default, help=f"SQLAlchemy URL (default {default})")

    demo = sub.add_parser("demo", help="seed a demo shop on SQLite and serve it on http://127.0.0.1:8000")
    with_db(demo, DEMO_DATABASE_URL)
    demo.add_argument("--host", default=settings.host)
    demo.add_argument("--port", type=int, default=settings.port)
    demo.add_argument("--reset", action="store_true", help="delete the demo database and seed it anew")
    demo.add_argument("--no-serve", action="store_true", help="seed and print, without starting the server")

    serve = sub.add_parser("serve", help="run the API and admin server")
    with_db(serve)
    serve.add_argument("--host", default=settings.host)
    serve.add_argument("--port", type=int, default=settings.port)
    serve.add_argument("--workers", type=int, default=1)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply migrations")
    with_db(up)

    shop = sub.add_parser("shop", help="shop settings")
    shop_sub = shop.add_subparsers(dest="shop_command", required=True)
    init = shop_sub.add_parser("init", help="create or change the shop's settings")
    with_db(init)
    init.add_argument("--name", required=True)
    init.add_argument("--email", required=True)
    init.add_argument("--domain", default="localhost:8000")
    init.add_argument("--currency", required=True)
    init.add_argument("--timezone", default="UTC")
    init.add_argument(
        "--public-url", help="where shoppers and apps reach this server, e.g. https://orders.example.com (default $ORDERDESK_PUBLIC_URL)"
    )
    init.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="CUR=RATE",
        help="shop-currency value of one unit of a presentment currency, e.g. USD=0.92",
    )

    rates = shop_sub.add_parser("rates", help="the exchange rates of the currencies shoppers may pay in")
    rates_sub = rates.add_subparsers(dest="rates_command", required=True)
    show = rates_sub.add_parser("show", help="print them, one CUR=RATE a line")
    with_db(show)
    set_rates = rates_sub.add_parser("set", help="replace them all with these (new orders use them; placed orders keep theirs)")
    with_db(set_rates)
    set_rates.add_argument("rate", nargs="*", metavar="CUR=RATE", help="shop-currency value of one unit, e.g. USD=0.92")

    token = sub.add_parser("token", help="API access tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token and print it once")
    with_db(create)
    create.add_argument("--scopes", required=True, help="comma-separated, e.g. read_orders,write_orders")
    create.add_argument(
        "--name", default="cli", help="the app the token belongs to (made if new); its tokens share its webhooks and fulfillment services"
    )
    lst = token_sub.add_parser("list", help="list tokens (never their values)")
    with_db(lst)
    revoke = token_sub.add_parser("revoke", help="revoke a token by id")
    with_db(revoke)
    revoke.add_argument("id", type=int)

    worker = sub.add_parser("worker", help="run scheduled jobs from the outbox (authorization expiry, ...)")
    with_db(worker)
    worker.add_argument("--once", action="store_true", help="handle what is due now, then exit")
    worker.add_argument("--lease-seconds", type=float, default=120.0, help="how long a claimed row stays with this worker")

    seed = sub.add_parser("seed", help="add the demo catalog and orders to a database")
    with_db(seed)
    return parser


def _services(url: str, migrate: bool = True):
    from ..bootstrap import services_for

    return services_for(url, migrate=migrate)


def _rates(pairs: list[str]) -> dict[str, str]:
    rates = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"--rate takes CUR=RATE, got {pair!r}")
        code, rate = pair.split("=", 1)
        rates[code.strip().upper()] = rate.strip()
    return rates


def run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from .demo import run_demo

        return run_demo(args)
    if args.command == "serve":
        from .server import serve

        services = _services(args.database_url)
        services.shop()  # fail early, with a clear message, if the shop is not set up
        return serve(args.database_url, args.host, args.port, workers=args.workers)
    if args.command == "db":
        _services(args.database_url)
        print("database is up to date")
        return 0
    if args.command == "shop" and args.shop_command == "rates":
        from ..services import setup

        services = _services(args.database_url)
        saved = setup.set_exchange_rates(services, _rates(args.rate)) if args.rates_command == "set" else services.shop().exchange_rates
        for code, rate in sorted(saved.items()):
            print(f"{code}={rate}")
        return 0
    if args.command == "shop":
        from ..domain.shop import Shop
        from ..services.setup import init_shop

        services = _services(args.database_url)
        init_shop(
            services,
            Shop(
                name=args.name,
                email=args.email,
                domain=args.domain,
                currency=args.currency,
                iana_timezone=args.timezone,
                exchange_rates=_rates(args.rate),
                public_url=args.public_url,
            ),
        )
        print(f"shop {args.name!r} saved")
        return 0
    if args.command == "token":
        from ..services import tokens

        services = _services(args.database_url)
        if args.token_command == "create":
            scopes = [s.strip() for s in args.scopes.split(",") if s.strip()]
            print(tokens.create_token(services, args.name, scopes))
        elif args.token_command == "list":
            for row in tokens.list_tokens(services):
                state = "revoked" if row["revoked_at"] else "active"
                print(f"{row['id']}\t{row['app_name']}\t{state}\t{row['scopes']}")
        else:
            tokens.revoke_token(services, args.id)
            print(f"token {args.id} revoked")
        return 0
    if args.command == "worker":
        import logging

        from ..worker.runner import Worker

        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        from datetime import timedelta

        from ..webhooks import delivery

        try:
            delivery.total_timeout()
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        runner = Worker(_services(args.database_url), lease=timedelta(seconds=args.lease_seconds))
        if args.once:
            total = 0
            while claimed := runner.run_once():
                total += claimed
            print(f"handled {total} outbox rows")
            return 0
        runner.run_forever()
        return 0
    if args.command == "seed":
        from .demo import seed

        count = seed(_services(args.database_url))
        print(f"seeded {count} orders")
        return 0
    raise UsageError(f"unknown command {args.command}")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (DomainError, UsageError, ValueError) as exc:
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        print(f"orderdesk: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
