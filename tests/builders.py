"""Request bodies with memorable values, for API tests."""

from __future__ import annotations

from typing import Any


def order_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "email": "bob.norman@example.com",
        "line_items": [
            {"title": "Big Brown Bear Boots", "price": "74.99", "quantity": 3, "grams": 1300},
            {"title": "Raspberry Beret", "price": "19.99", "quantity": 1, "sku": "BERET-1"},
        ],
        "customer": {"first_name": "Bob", "last_name": "Norman", "email": "bob.norman@example.com"},
        "billing_address": {
            "first_name": "Bob",
            "last_name": "Norman",
            "address1": "123 Fake Street",
            "city": "Fakecity",
            "country_code": "US",
            "zip": "K2P 1L4",
        },
        "shipping_address": {
            "first_name": "Bob",
            "last_name": "Norman",
            "address1": "123 Fake Street",
            "city": "Fakecity",
            "country_code": "US",
            "zip": "K2P 1L4",
        },
        "shipping_lines": [{"title": "Standard", "price": "10.00", "code": "STD"}],
        "tax_lines": [{"title": "State tax", "rate": 0.06, "price": "14.70"}],
        "discount_codes": [{"code": "TENOFF", "amount": "10.00", "type": "fixed_amount"}],
    }
    body.update(overrides)
    return body


def create_order(api, **overrides: Any) -> dict[str, Any]:
    response = api.post(f"{api.base}/orders.json", json={"order": order_body(**overrides)})
    assert response.status_code == 201, response.text
    return response.json()["order"]
