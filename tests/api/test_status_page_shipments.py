"""The status page of a fulfilled order says how many items each shipment carried."""

from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from tests.builders import create_order


def test_a_fulfilled_orders_page_counts_the_items_shipped(api, app):
    # given an order of 3 boots and 1 beret, fulfilled in one shipment
    order = create_order(api, fulfillment_status="fulfilled", fulfillments=[{"tracking_company": "DHL", "tracking_number": "JD014600003"}])
    # when the shopper opens the status page
    page = TestClient(app).get(urlsplit(order["order_status_url"]).path)
    # then the shipment lists its item count, not a Python method's repr
    assert page.status_code == 200, page.text
    assert "4 items shipped" in page.text
    assert "built-in method" not in page.text
