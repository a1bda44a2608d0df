"""``orderdesk``: demo | serve | db upgrade | shop init | shop rates show/set | token create/list/revoke | app list/secret | staff ... | worker | seed | emails.

Bad input prints one line on stderr and exits with code 2, never a traceback, and is found
before anything is written: no data folder, database file or secret file is left behind.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from ..config import DEFAULT_DATABASE_URL, Settings, SmtpSettings
from ..domain.errors import DomainError
from . import apps as app_commands
from . import staff as staff_commands

if TYPE_CHECKING:  # imported where used, so `orderdesk --help` stays quick
    from ..db.connect import Location
    from ..services.context import Services

DEMO_DATABASE_URL = "sqlite:///orderdesk-data/demo.db"
# The default databases live in ./orderdesk-data, which is created for them; any other SQLite
# file must be in a folder that exists (a typo must not quietly create a new empty shop).
DEFAULT_URLS = (DEFAULT_DATABASE_URL, DEMO_DATABASE_URL)


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (no usage block) and exit code 2, like every other error."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("orderdesk").strip()
        raise UsageError(f"{command}: {message}" if command else message)


def port_number(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, got {text!r}")
    return int(text)


def positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, got {text!r}")
    return int(text)


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < 86400 * 7:  # also false for nan
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return seconds


def _parser(settings: Settings) -> argparse.ArgumentParser:
    parser = Parser(prog="orderdesk", description="Self-hosted order management.")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser, default: str = settings.database_url) -> None:
        p.add_argument("--database-url", default=default, help=f"SQLAlchemy URL (default {default})")

    def with_address(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=settings.host)
        p.add_argument("--port", type=port_number, default=settings.port)

    demo = sub.add_parser("demo", help="seed a demo shop on SQLite and serve it on http://127.0.0.1:8000")
    with_db(demo, DEMO_DATABASE_URL)
    with_address(demo)
    demo.add_argument("--reset", action="store_true", help="delete the demo database and seed it anew")
    demo.add_argument("--no-serve", action="store_true", help="seed and print, without starting the server")

    serve = sub.add_parser("serve", help="run the API and admin server")
    with_db(serve)
    with_address(serve)
    serve.add_argument("--workers", type=positive_int, default=1)

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
    init.add_argument("--timezone", default="UTC", help="IANA time zone, e.g. Europe/Berlin")
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

    logo = shop_sub.add_parser("logo", help="the logo on packing slips and emails (PNG, JPEG, GIF or WebP, at most 1 MB)")
    with_db(logo)
    logo_what = logo.add_mutually_exclusive_group(required=True)
    logo_what.add_argument("file", nargs="?", help="the image file to use")
    logo_what.add_argument("--remove", action="store_true", help="show no logo")

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

    worker = sub.add_parser("worker", help="deliver webhooks and emails and run scheduled jobs from the outbox")
    with_db(worker)
    worker.add_argument("--once", action="store_true", help="handle what is due now, then exit")
    worker.add_argument("--lease-seconds", type=positive_seconds, default=120.0, help="how long a claimed row stays with this worker")

    seed = sub.add_parser("seed", help="add the demo catalog and orders to a database")
    with_db(seed)

    emails = sub.add_parser("emails", help="list the emails kept in the database when no SMTP server is configured")
    with_db(emails)
    emails.add_argument("--order", type=positive_int, help="only this order's emails (its id)")
    emails.add_argument("--limit", type=positive_int, default=20)
    emails.add_argument("--show", type=positive_int, metavar="ID", help="print one email in full (its text part)")
    staff_commands.add_parser(sub, with_db)
    app_commands.add_parser(sub, with_db)
    return parser


def _location(url: str, *, create: bool) -> Location:
    """Where the database is. Only ``create`` commands may start a new one (and only the
    default databases get their folder made); the others need an existing database."""
    from ..db.connect import locate

    location = locate(url)
    if location.path is not None:
        if not create and not location.exists:
            raise UsageError(
                f"there is no database at {location.path}; "
                f"set one up with `orderdesk shop init --database-url {url} --name ... --email ... --currency ...`"
            )
        if not location.path.parent.is_dir() and url not in DEFAULT_URLS:
            raise UsageError(f"the folder {location.path.parent} does not exist (for {location.shown})")
    return location


def _services(location: Location, *, smtp: SmtpSettings | None = None) -> Services:
    """The database opened and migrated, without the server's secret: commands that sign status
    links call ``_sign_links`` once their input has been checked, so a refused command leaves no
    secret file behind."""
    from ..db.connect import open_engine
    from ..db.uow import Database
    from ..services.context import Services

    if location.path is not None:
        location.path.parent.mkdir(parents=True, exist_ok=True)
    return Services(
        db=Database(open_engine(location)),
        secret_key="unset: this command signs no status links",
        smtp=smtp or SmtpSettings(),
    )


def _sign_links(services: Services) -> None:
    from ..bootstrap import secret_key

    services.secret_key = secret_key()
    services.forget_shop()  # the cached shop carries the secret it was read with


def check_listening(host: str, port: int) -> None:
    """Refuse an address the server could not listen on, before anything is created or seeded."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError):
        raise UsageError(f"--host {host!r} is not an address of this machine") from None
    with socket.socket(family, kind, proto) as probe:
        # As uvicorn does, so only a live listener makes this fail, not a socket in TIME_WAIT.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            hint = " (is another orderdesk running? choose another --port)" if exc.errno in (48, 98) else ""
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from None


def _rates(pairs: list[str]) -> dict[str, str]:
    rates = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"--rate takes CUR=RATE, got {pair!r}")
        code, rate = pair.split("=", 1)
        rates[code.strip().upper()] = rate.strip()
    return rates


def _mail_settings() -> SmtpSettings:
    """Email and webhook settings checked up front, so a worker does not start only to fail each row."""
    from ..webhooks import delivery

    delivery.total_timeout()
    return SmtpSettings.from_env()


def run(args: argparse.Namespace) -> int:
    if args.command == "demo":
        from .demo import run_demo

        if not args.no_serve:
            check_listening(args.host, args.port)
        smtp = _mail_settings()
        location = _location(args.database_url, create=True)
        if args.reset and location.path is None:
            raise UsageError("--reset deletes a SQLite demo database; it cannot reset PostgreSQL")
        return run_demo(args, location, lambda: _services(location, smtp=smtp), _sign_links)
    if args.command == "serve":
        from .server import serve

        check_listening(args.host, args.port)
        services = _services(_location(args.database_url, create=False))
        services.shop()  # fail early, with a clear message, if the shop is not set up
        return serve(args.database_url, args.host, args.port, workers=args.workers)
    if args.command == "db":
        _services(_location(args.database_url, create=True))
        print("database is up to date")
        return 0
    if args.command == "shop" and args.shop_command == "rates":
        from ..services import setup

        services = _services(_location(args.database_url, create=False))
        saved = setup.set_exchange_rates(services, _rates(args.rate)) if args.rates_command == "set" else services.shop().exchange_rates
        for code, rate in sorted(saved.items()):
            print(f"{code}={rate}")
        return 0
    if args.command == "shop" and args.shop_command == "logo":
        from ..domain.access import SYSTEM
        from ..services import shop_logo

        if args.remove:
            shop_logo.remove_logo(_services(_location(args.database_url, create=False)), caller=SYSTEM)
            print("logo removed")
            return 0
        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
        services = _services(_location(args.database_url, create=False))
        content_type = shop_logo.set_logo(services, data, caller=SYSTEM)
        print(f"logo saved ({content_type}, {len(data)} bytes): {services.shop().logo_url}")
        return 0
    if args.command == "shop":
        from ..domain.shop import Shop
        from ..services.setup import init_shop

        # Checked (currency, time zone, rates) before the database is touched.
        shop = Shop(
            name=args.name,
            email=args.email,
            domain=args.domain,
            currency=args.currency,
            iana_timezone=args.timezone,
            exchange_rates=_rates(args.rate),
            public_url=args.public_url,
        )
        init_shop(_services(_location(args.database_url, create=True)), shop)
        print(f"shop {args.name!r} saved")
        return 0
    if args.command == "token":
        from ..services import tokens

        services = _services(_location(args.database_url, create=True))
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
        from datetime import timedelta

        from ..worker.runner import Worker

        smtp = _mail_settings()
        services = _services(_location(args.database_url, create=False), smtp=smtp)
        services.shop()  # every job needs the shop; say so now rather than retry each row
        _sign_links(services)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        runner = Worker(services, lease=timedelta(seconds=args.lease_seconds))
        if args.once:
            total = 0
            while claimed := runner.run_once():
                total += claimed
            print(f"handled {total} outbox rows")
            return 0
        runner.run_forever()
        return 0
    if args.command == "app":
        return app_commands.run(args, lambda url: _services(_location(url, create=False)))
    if args.command == "staff":
        return staff_commands.run(args, lambda url: _services(_location(url, create=False)))
    if args.command == "seed":
        from .demo import check_seedable, seed

        services = _services(_location(args.database_url, create=False))
        check_seedable(services.shop())
        _sign_links(services)
        count = seed(services)
        print(f"seeded {count} orders")
        return 0
    if args.command == "emails":
        from .emails import print_emails

        return print_emails(_services(_location(args.database_url, create=False)), order_id=args.order, limit=args.limit, show=args.show)
    raise UsageError(f"unknown command {args.command}")


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser(Settings.from_env()).parse_args(argv)
        return run(args)
    except (DomainError, UsageError, ValueError) as exc:  # DatabaseProblem is a ValueError
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        print(f"orderdesk: error: {' '.join(message.split())}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
