"""The shopper's order status page at /status/{key} (the order's order_status_url)."""

from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from orderdesk.status_page.views import FailedGuesses
from tests.builders import create_order


def _path(order) -> str:
    return urlsplit(order["order_status_url"]).path


def _shopper(app) -> TestClient:
    return TestClient(app, base_url="http://testserver")  # no access token


def _eur_order(api, **overrides):
    return create_order(
        api,
        presentment_currency="EUR",
        note="STAFF-ONLY: customer was rude on the phone",
        tags="blocklist-candidate, vip",
        **overrides,
    )


def test_the_status_url_from_the_api_opens_the_shoppers_page(api, app):
    order = _eur_order(
        api,
        fulfillment_status="fulfilled",
        fulfillments=[{"tracking_company": "DHL", "tracking_number": "JD014600003", "tracking_url": "https://track.example/JD014600003"}],
    )
    assert order["order_status_url"].startswith("https://test-shop.example/status/")
    page = _shopper(app).get(_path(order))
    assert page.status_code == 200, page.text
    html = page.text
    assert f"Order {order['name']}" in html
    # Money in the shopper's currency: the presentment total, not the shop's USD.
    total = order["total_price_set"]["presentment_money"]
    assert total["currency_code"] == "EUR"
    assert f"{total['amount']} EUR" in html
    assert "USD" not in html
    assert "Big Brown Bear Boots" in html and "Raspberry Beret" in html
    assert "Paid" in html and "Shipped" in html
    assert 'href="https://track.example/JD014600003"' in html and "DHL" in html
    assert "123 Fake Street" in html and "Fakecity" in html
    # Never staff notes, tags or the timeline.
    assert "STAFF-ONLY" not in html and "blocklist-candidate" not in html and "vip" not in html
    assert "was placed" not in html.lower()
    assert '<meta name="robots" content="noindex">' in html
    assert "<script" not in html.lower()


def test_the_page_sends_privacy_headers(api, app):
    order = _eur_order(api)
    response = _shopper(app).get(_path(order))
    assert response.status_code == 200
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-robots-tag"] == "noindex, nofollow"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-type"].startswith("text/html")


def test_fulfillment_progress_per_line_and_payment_in_words(api, app):
    order = create_order(api, financial_status="pending")
    boots = next(li for li in order["line_items"] if li["title"] == "Big Brown Bear Boots")
    refund = api.post(
        f"{api.base}/orders/{order['id']}/refunds.json",
        json={"refund": {"refund_line_items": [{"line_item_id": boots["id"], "quantity": 1, "restock_type": "cancel"}]}},
    )
    assert refund.status_code == 201, refund.text
    html = _shopper(app).get(_path(order)).text
    assert "Payment pending" in html
    assert "Not shipped yet" in html
    assert "1 refunded or removed" in html
    assert "Still to pay" in html


def test_a_wrong_key_is_a_plain_404(api, app):
    order = _eur_order(api)
    client = _shopper(app)
    key = _path(order).rsplit("/", 1)[1]
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    for path in (f"/status/{wrong}", "/status/x", f"/status/{order['token']}", f"/status/{order['id']}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert order["name"] not in response.text
        assert "Not found" in response.text
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-robots-tag"] == "noindex, nofollow"


def test_each_key_shows_only_its_own_order(api, app):
    first = create_order(
        api, email="first@example.com", note="first staff note", line_items=[{"title": "Alpha Tent", "price": "200.00", "quantity": 1}]
    )
    second = create_order(
        api,
        email="second@example.com",
        line_items=[{"title": "Beta Stove", "price": "50.00", "quantity": 2}],
        shipping_address={
            "first_name": "Zed",
            "last_name": "Other",
            "address1": "9 Elsewhere Road",
            "city": "Othertown",
            "country_code": "US",
            "zip": "99999",
        },
    )
    client = _shopper(app)
    page = client.get(_path(second)).text
    assert f"Order {second['name']}" in page and "Beta Stove" in page and "9 Elsewhere Road" in page
    assert "Alpha Tent" not in page and first["name"] not in page and "first staff note" not in page
    page = client.get(_path(first)).text
    assert "Alpha Tent" in page and "Beta Stove" not in page and "9 Elsewhere Road" not in page


def test_wrong_keys_are_rate_limited_per_client(api, app):
    # The allowance refills half a guess a second: on a loaded machine 30 requests can take
    # longer than 2 s and earn the 31st guess. Time stands still here, so the burst is judged
    # on its count alone (test_failed_guesses_refill covers the refill).
    app.state.status_page_limiter = FailedGuesses(size=30, period=60, clock=lambda: 1000.0)
    order = _eur_order(api)
    client = _shopper(app)
    statuses = [client.get(f"/status/guess-{i:040d}").status_code for i in range(30)]
    assert statuses == [404] * 30
    limited = client.get(f"/status/guess-{31:040d}")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["cache-control"] == "no-store"
    assert order["name"] not in limited.text
    assert client.get("/status/x").status_code == 429  # a malformed key is a wrong key too
    # Another address has its own allowance.
    elsewhere = TestClient(app, base_url="http://testserver", client=("203.0.113.7", 50000))
    assert elsewhere.get(f"/status/guess-{32:040d}").status_code == 404


def test_the_right_key_opens_the_page_after_a_burst_of_wrong_keys_from_the_same_address(api, app):
    # A shopper behind the same address as a scanner (an office, a carrier's NAT) still gets in.
    order = _eur_order(api)
    client = _shopper(app)
    assert [client.get(f"/status/guess-{i:040d}").status_code for i in range(40)][-1] == 429
    page = client.get(_path(order))
    assert page.status_code == 200, page.text
    assert f"Order {order['name']}" in page.text
    assert client.get(f"/status/guess-{41:040d}").status_code == 429  # the right key is no reprieve for guesses


def test_failed_guesses_refill():

    guesses = FailedGuesses(size=2, period=60)
    assert guesses.fail("a", now=0) == 0 and guesses.fail("a", now=0) == 0
    wait = guesses.fail("a", now=0)
    assert 29 < wait <= 30
    assert guesses.fail("b", now=0) == 0  # another client has its own allowance
    assert guesses.fail("a", now=31) == 0


def test_failed_guesses_remember_a_bounded_number_of_clients():

    guesses = FailedGuesses(size=30, period=60, max_clients=100)
    for i in range(5_000):  # a scanner rotating through addresses, all guessing within the same second
        guesses.fail(f"198.51.{i // 256}.{i % 256}", now=0.0001 * i)
    assert len(guesses) <= 100
    # Clients whose allowance is whole again are forgotten without waiting for the bound.
    guesses.fail("192.0.2.1", now=3600)
    assert len(guesses) == 1


def test_ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4():
    from orderdesk.status_page.views import client_key

    assert client_key("2001:db8:1:2::1") == client_key("2001:db8:1:2:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("::ffff:192.0.2.9") == client_key("192.0.2.9") == "192.0.2.9"
    assert client_key("testclient") == "testclient"
