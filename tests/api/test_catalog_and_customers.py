"""Shop, products with variants, and customers, as orders refer to them."""


def test_shop_json(api):
    shop = api.get(f"{api.base}/shop.json").json()["shop"]
    assert shop["currency"] == "USD" and shop["iana_timezone"] == "America/New_York"


def test_product_with_variants_feeds_an_order_line(api):
    created = api.post(
        f"{api.base}/products.json",
        json={
            "product": {
                "title": "Trail Shoe",
                "vendor": "Moss",
                "variants": [
                    {
                        "title": "42",
                        "sku": "TS-42",
                        "price": "119.00",
                        "grams": 950,
                        "inventory_policy": "deny",
                        "requires_shipping": True,
                        "taxable": True,
                    }
                ],
            }
        },
    )
    assert created.status_code == 201
    product = created.json()["product"]
    variant = product["variants"][0]
    assert variant["price"] == "119.00" and variant["sku"] == "TS-42" and variant["inventory_policy"] == "deny"
    assert api.get(f"{api.base}/products/{product['id']}.json").json()["product"]["title"] == "Trail Shoe"
    assert api.get(f"{api.base}/variants/{variant['id']}.json").json()["variant"]["grams"] == 950
    assert api.get(f"{api.base}/products/count.json").json() == {"count": 1}
    order = api.post(f"{api.base}/orders.json", json={"order": {"line_items": [{"variant_id": variant["id"], "quantity": 2}]}}).json()[
        "order"
    ]
    line = order["line_items"][0]
    assert (line["title"], line["variant_title"], line["sku"], line["price"], line["vendor"]) == (
        "Trail Shoe",
        "42",
        "TS-42",
        "119.00",
        "Moss",
    )
    assert order["total_price"] == "238.00"


def test_customers_and_their_orders(api):
    created = api.post(f"{api.base}/customers.json", json={"customer": {"email": "Ada@Example.com", "first_name": "Ada"}})
    assert created.status_code == 201
    customer = created.json()["customer"]
    api.post(
        f"{api.base}/orders.json",
        json={"order": {"email": "ada@example.com", "line_items": [{"title": "Mug", "price": "9.50", "quantity": 1}]}},
    )
    again = api.get(f"{api.base}/customers/{customer['id']}.json").json()["customer"]
    assert again["orders_count"] == 1 and again["total_spent"] == "9.50"
    orders = api.get(f"{api.base}/customers/{customer['id']}/orders.json").json()["orders"]
    assert [o["customer"]["id"] for o in orders] == [customer["id"]]
    dup = api.post(f"{api.base}/customers.json", json={"customer": {"email": "ada@example.com"}})
    assert dup.status_code == 422 and dup.json() == {"errors": {"email": ["has already been taken"]}}
    assert api.get(f"{api.base}/customers/999999.json").status_code == 404
