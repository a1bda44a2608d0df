"""The demo shop: a EUR store with a small catalog and ~60 orders over the last 90 days."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from ..domain.access import Caller
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


def seed(services: Services, *, count: int = 60, rng_seed: int = 1042) -> int:
    """Add the catalog and ``count`` orders in varied states; returns the number of orders."""
    rng = random.Random(rng_seed)
    shop = services.shop()
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
        )
        product, vrows = catalog.get_product(services, pid)
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
        # The same secret as the server, or the seeded orders' status links would open nothing.
        at_services = Services(db=services.db, clock=FixedClock(at), secret_key=services.secret_key)
        at_services._shop = shop
        at_services._shop_read_at = float("inf")
        order = orders.create_order(at_services, order_from_body(body, shop), caller=DEMO, at=at)
        later = Services(db=services.db, clock=FixedClock(at + timedelta(hours=rng.randint(2, 72))), secret_key=services.secret_key)
        later._shop, later._shop_read_at = shop, float("inf")
        if state in ("cancelled", "refunded", "voided"):
            reason = {"cancelled": "customer", "refunded": "inventory", "voided": "declined"}[state]
            orders.cancel_order(later, order.id, reason=reason, restock=True, email=False, caller=DEMO)
        if state == "paid_fulfilled" and age > timedelta(days=14) or state in ("cancelled", "refunded") and age > timedelta(days=30):
            orders.close_order(later, order.id, caller=DEMO)
        made += 1
    return made


def run_demo(args) -> int:
    from ..bootstrap import services_for
    from .server import serve

    url = args.database_url
    if args.reset and url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    services = services_for(url, migrate=True)
    with services.db.reading() as uow:
        fresh = uow.shop.get() is None
    if fresh:
        init_shop(services, Shop(**{**DEMO_SHOP.__dict__, "domain": f"{args.host}:{args.port}"}))
        count = seed(services)
        print(f"Seeded the demo shop with {count} orders.")
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
        ],
    )
    base = f"http://{args.host}:{args.port}"
    print(
        f"""
orderdesk demo — {DEMO_SHOP.name} (EUR), database {url}

  Admin (orders):   {base}/admin/orders
  API docs:         {base}/docs
  Admin API token:  {token}

A worker runs beside the server: it delivers webhooks, sends emails over SMTP to
{os.environ.get("ORDERDESK_SMTP_HOST", "localhost")}:{os.environ.get("ORDERDESK_SMTP_PORT", "1025")} (to read them: python -m aiosmtpd -n -l localhost:1025)
and runs scheduled jobs (authorization expiry, payment reminders, auto-archive).

Try:
  curl -H 'X-Shopify-Access-Token: {token}' '{base}/admin/api/2024-10/orders.json?status=any&limit=5'
  curl -H 'X-Shopify-Access-Token: {token}' '{base}/admin/api/2024-10/orders/count.json?status=any'
""",
        flush=True,
    )
    if args.no_serve:
        return 0
    # Deliver scheduled jobs (authorization expiry, auto-archive) beside the server.
    import threading

    from ..worker.runner import Worker

    stop = threading.Event()
    threading.Thread(target=Worker(services).run_forever, kwargs={"stop": stop.is_set}, name="orderdesk-worker", daemon=True).start()
    try:
        return serve(url, args.host, args.port)
    finally:
        stop.set()
