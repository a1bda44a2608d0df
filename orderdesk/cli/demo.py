"""The demo shop: a EUR store with a small catalog and ~60 orders over the last 90 days."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..db.connect import Location
from ..db.uow import UnitOfWork
from ..domain.access import Caller
from ..domain.errors import InvalidInput
from ..domain.shop import Shop
from ..schemas.orders import order_from_body
from ..services import catalog, orders
from ..services.clock import FixedClock
from ..services.context import Services
from ..services.setup import init_shop
from ..services.tokens import create_token

# The demo's seed acts as orderdesk itself, named on the timeline.
DEMO = Caller(name="demo", system=True)

DEMO_SHOP = Shop(
    name="Maple & Moss Outfitters",
    email="hello@maplemoss.example",
    domain="127.0.0.1:8000",
    currency="EUR",
    iana_timezone="Europe/Berlin",
    # Shop-currency (EUR) value of one unit of each presentment currency.
    exchange_rates={"USD": "0.92", "GBP": "1.17", "SEK": "0.087", "JPY": "0.0061", "CHF": "1.04"},
)

CATALOG = [
    (
        "Trail Runner Shoe",
        "Maple & Moss",
        [("40", "TR-40", "119.00", 950), ("42", "TR-42", "119.00", 980), ("44", "TR-44", "119.00", 1010)],
    ),
    ("Merino Base Layer", "Nordwool", [("S", "MB-S", "69.00", 220), ("M", "MB-M", "69.00", 240), ("L", "MB-L", "69.00", 260)]),
    ("Waxed Canvas Backpack", "Maple & Moss", [("Default Title", "WCB-1", "149.00", 1400)]),
    ("Enamel Camp Mug", "Fireside", [("Default Title", "MUG-1", "14.50", 300)]),
    ("Wool Beanie", "Nordwool", [("Charcoal", "BEA-C", "29.00", 90), ("Moss", "BEA-M", "29.00", 90)]),
    ("Headlamp 400", "Lumen Works", [("Default Title", "HL-400", "39.90", 110)]),
    ("Trail Map Bundle (PDF)", "Maple & Moss", [("Default Title", "MAP-PDF", "9.00", 0)]),
    ("Gift Card", "Maple & Moss", [("50 EUR", "GC-50", "50.00", 0)]),
]

CUSTOMERS = [
    ("Ada", "Lindqvist", "ada.lindqvist@example.com", "SE", "Stockholm", "SEK"),
    ("Bruno", "Keller", "bruno.keller@example.com", "DE", "Berlin", "EUR"),
    ("Chloé", "Martin", "chloe.martin@example.com", "FR", "Lyon", "EUR"),
    ("Dan", "O'Brien", "dan.obrien@example.com", "IE", "Cork", "EUR"),
    ("Emma", "Wright", "emma.wright@example.com", "GB", "Leeds", "GBP"),
    ("Felix", "Huber", "felix.huber@example.com", "CH", "Zürich", "CHF"),
    ("Grace", "Kim", "grace.kim@example.com", "US", "Portland", "USD"),
    ("Hiro", "Tanaka", "hiro.tanaka@example.com", "JP", "Osaka", "JPY"),
    ("Ines", "Costa", "ines.costa@example.com", "PT", "Porto", "EUR"),
    ("Jonas", "Berg", "jonas.berg@example.com", "DE", "Hamburg", "EUR"),
    ("Kate", "Nguyen", "kate.nguyen@example.com", "US", "Austin", "USD"),
    ("Luca", "Rossi", "luca.rossi@example.com", "IT", "Turin", "EUR"),
    ("Maja", "Novak", "maja.novak@example.com", "SI", "Ljubljana", "EUR"),
    ("Noah", "Fischer", "noah.fischer@example.com", "AT", "Graz", "EUR"),
]

NOTES = [None, None, None, "Please leave at the back door.", "Gift — no invoice in the parcel, please.", "Customer called to confirm size."]
TAGS = ["", "", "wholesale", "vip", "gift", "repeat, vip", "instagram"]


def check_seedable(shop: Shop) -> None:
    """Refuse a shop that lacks an exchange rate for a currency the demo's customers pay in."""
    wanted = sorted({currency for *_, currency in CUSTOMERS} - {shop.currency})
    missing = [code for code in wanted if code not in shop.exchange_rates]
    if missing:
        example = " ".join(f"--rate {code}={DEMO_SHOP.exchange_rates.get(code, '1.0')}" for code in missing)
        raise InvalidInput(
            f"the shop has no exchange rate from {', '.join(missing)} to {shop.currency}, which demo customers pay in; "
            f"add them with `orderdesk shop init ... {example}` (rates in {shop.currency} per unit)",
            field="exchange_rates",
        )


def _as_of(services: Services, shop: Shop, at: datetime) -> Services:
    """The same services with the clock stopped at ``at``: the seed back-dates orders.

    It keeps the server's secret (status links are signed with it) and the shop read once."""
    dated = Services(db=services.db, clock=FixedClock(at), secret_key=services.secret_key, smtp=services.smtp)
    dated._shop, dated._shop_read_at = shop, float("inf")
    return dated


def seed(services: Services, *, count: int = 60, rng_seed: int = 1042) -> int:
    """Add the catalog and ``count`` orders in varied states; returns the number of orders.

    All or nothing: a shop that cannot take the demo's orders (a missing exchange rate) is refused
    before anything is written, and everything is written in one transaction.
    """
    rng = random.Random(rng_seed)
    shop = services.shop()
    check_seedable(shop)
    with services.db.writing() as uow:
        made = _seed(services, shop, uow, rng, count)
        uow.commit()
    return made


def _seed(services: Services, shop: Shop, uow: UnitOfWork, rng: random.Random, count: int) -> int:
    variants: list[tuple[int, Decimal, int]] = []
    for title, vendor, rows in CATALOG:
        pid = catalog.create_product(
            services,
            {"title": title, "vendor": vendor, "product_type": "Outdoor", "status": "active", "tags": ""},
            [
                {
                    "title": v,
                    "sku": sku,
                    "price": Decimal(price),
                    "grams": grams,
                    "requires_shipping": grams > 0,
                    "inventory_management": "shopify" if grams > 0 else None,
                }
                for v, sku, price, grams in rows
            ],
            uow=uow,
        )
        _product, vrows = uow.products.get(pid) or (None, [])  # just created in this transaction
        variants += [(v["id"], v["price"], v["grams"]) for v in vrows]

    now = services.clock.now()
    made = 0
    for i in range(count):
        age = timedelta(days=90) * (count - i) / count - timedelta(minutes=rng.randint(0, 600))
        at = now - age
        first, last, email, country, city, currency = rng.choice(CUSTOMERS)
        lines = []
        for variant_id, _price, _grams in rng.sample(variants, rng.choice([1, 1, 2, 2, 3])):
            lines.append({"variant_id": variant_id, "quantity": rng.choice([1, 1, 1, 2, 3])})
        address = {
            "first_name": first,
            "last_name": last,
            "address1": f"{rng.randint(1, 99)} Harbour Street",
            "city": city,
            "country_code": country,
            "zip": f"{rng.randint(10000, 99999)}",
        }
        shipping_price = rng.choice(["4.90", "4.90", "9.90", "0.00"])
        if currency == "JPY":
            shipping_price = "800"
        elif currency == "SEK":
            shipping_price = "59.00"
        state = rng.choices(
            ["paid_unfulfilled", "paid_fulfilled", "pending", "authorized", "cancelled", "refunded", "voided"],
            weights=[30, 34, 10, 8, 7, 6, 5],
        )[0]
        body = {
            "email": email,
            "customer": {"first_name": first, "last_name": last, "email": email},
            "line_items": lines,
            "billing_address": address,
            "shipping_address": address,
            "shipping_lines": [
                {"title": "Standard shipping" if shipping_price != "0.00" else "Free shipping", "price": shipping_price, "code": "STD"}
            ],
            "presentment_currency": currency,
            "taxes_included": True,
            "note": rng.choice(NOTES),
            "tags": rng.choice(TAGS),
            "source_name": rng.choice(["web", "web", "web", "pos", "instagram"]),
            # The demo shows its emails (captured in the database unless SMTP is configured).
            "send_receipt": True,
            "send_fulfillment_receipt": state == "paid_fulfilled",
        }
        if rng.random() < 0.2:
            body["discount_codes"] = [{"code": "WELCOME10", "amount": "10", "type": "percentage"}]
        if state == "pending":
            body["financial_status"] = "pending"
        elif state in ("authorized", "voided"):
            body["financial_status"] = "authorized"
        elif state == "refunded":
            body["financial_status"] = "refunded"
        else:
            body["transactions"] = [{"kind": "sale", "status": "success", "gateway": rng.choice(["bogus", "manual", "bogus"])}]
        if state == "paid_fulfilled":
            body["fulfillment_status"] = "fulfilled"
            body["fulfillments"] = [{"tracking_company": "DHL", "tracking_number": f"JD0146{rng.randint(10**9, 10**10 - 1)}"}]
        order = orders.create_order(_as_of(services, shop, at), order_from_body(body, shop), caller=DEMO, at=at, uow=uow)
        later = _as_of(services, shop, at + timedelta(hours=rng.randint(2, 72)))
        if state in ("cancelled", "refunded", "voided"):
            reason = {"cancelled": "customer", "refunded": "inventory", "voided": "declined"}[state]
            orders.cancel_order(later, order.saved_id, reason=reason, restock=True, email=state == "cancelled", caller=DEMO, uow=uow)
        if state == "paid_fulfilled" and age > timedelta(days=14) or state in ("cancelled", "refunded") and age > timedelta(days=30):
            orders.close_order(later, order.saved_id, caller=DEMO, uow=uow)
        made += 1
    return made


# The demo's owner account. A fixed password is fine for a demo served on 127.0.0.1 only; a
# real shop makes its accounts with `orderdesk staff create`, which reads the password from stdin.
DEMO_OWNER = ("owner@demo.orderdesk.example", "orderdesk-demo")


def demo_owner(services: Services) -> None:
    """The demo shop's owner, so a newcomer can log in to the admin at once."""
    from ..services import staff

    if not any(m.email == DEMO_OWNER[0] for m in staff.list_staff(services)):
        staff.create_staff(services, DEMO_OWNER[0], DEMO_OWNER[1], role="owner", name="Demo Owner")


def run_demo(args: Any, location: Location, open_services: Callable[[], Services], sign_links: Callable[[Services], None]) -> int:
    """Seed the demo shop if the database has none, then serve it with a worker beside the server.

    The URLs are printed once the server listens, not before: uvicorn takes seconds to load the app.
    """
    if args.reset and location.path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(location.path) + suffix).unlink(missing_ok=True)
    services = open_services()
    sign_links(services)
    with services.db.reading() as uow:
        fresh = uow.shop.get() is None
    domain = f"{args.host}:{args.port}"
    if fresh:
        print(f"Seeding the demo shop into {location.shown} ...", flush=True)
        init_shop(services, replace(DEMO_SHOP, domain=domain))
        count = seed(services)
        print(f"Seeded the demo shop with {count} orders.", flush=True)
    elif services.shop().domain != domain:
        # Status links carry the shop's address: follow the demo to the host and port it runs on now.
        init_shop(services, replace(services.shop(), domain=domain))
    token = create_token(
        services,
        "demo",
        [
            "read_orders",
            "write_orders",
            "read_all_orders",
            "read_products",
            "write_products",
            "read_customers",
            "write_customers",
            "read_locations",
            "read_inventory",
            "write_inventory",
            "write_merchant_managed_fulfillment_orders",
            "write_third_party_fulfillment_orders",
        ],
    )
    demo_owner(services)
    text = banner(services, location.shown, f"http://{args.host}:{args.port}", token, args.database_url)
    if args.no_serve:
        print(text, flush=True)
        return 0
    import threading

    from ..worker.runner import Worker
    from .server import serve

    stop = threading.Event()

    def listening() -> None:
        print(text, flush=True)
        # Started now so it does not slow the server's start; it delivers what the seed queued.
        worker = Worker(services).run_forever
        threading.Thread(target=worker, kwargs={"stop": stop.is_set}, name="orderdesk-worker", daemon=True).start()

    try:
        return serve(args.database_url, args.host, args.port, on_listen=listening)
    finally:
        stop.set()


def banner(services: Services, shown_url: str, base: str, token: str, database_url: str) -> str:
    smtp = services.smtp
    if smtp.captures:
        mail = (
            "No SMTP server is configured (ORDERDESK_SMTP_HOST), so emails are kept in the database\n"
            f"instead of sent. Read them in the admin at {base}/admin/emails\n"
            f"or list them with:  orderdesk emails --database-url {database_url}"
        )
    else:
        mail = f"Emails are sent over SMTP to {smtp.host}:{smtp.port}."
    return f"""
orderdesk demo — {services.shop().name} ({services.shop().currency}), database {shown_url}

  Admin (orders):   {base}/admin/orders
  Admin settings:   {base}/admin/settings
  Log in as:        {DEMO_OWNER[0]} / {DEMO_OWNER[1]}
  API docs:         {base}/docs
  Admin API token:  {token}

A worker runs beside the server: it delivers webhooks and emails and runs scheduled jobs
(authorization expiry, payment reminders, auto-archive).
{mail}

Try:
  curl -H 'X-Shopify-Access-Token: {token}' '{base}/admin/api/2024-10/orders.json?status=any&limit=5'
  curl -H 'X-Shopify-Access-Token: {token}' '{base}/admin/api/2024-10/orders/count.json?status=any'
"""
