"""The shop's logo: set from the command line, served from this server, shown on packing
slips, the status page and in emails; anything that is not a raster image is refused."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

import pytest
import sqlalchemy

from orderdesk.cli.main import main
from orderdesk.domain.access import SYSTEM, Caller
from orderdesk.domain.errors import Forbidden, InvalidInput
from orderdesk.domain.logo import MAX_BYTES, logo_content_type
from orderdesk.services import shop_logo
from tests.builders import create_order

# A 1x1 transparent PNG.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")
BASE = "/admin/api/2024-10"


@pytest.mark.parametrize(
    ("data", "expected"),
    [(PNG, "image/png"), (b"\xff\xd8\xff\xe0rest", "image/jpeg"), (b"GIF89a...", "image/gif"), (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp")],
)
def test_raster_images_are_recognised_by_their_first_bytes(data, expected):
    assert logo_content_type(data) == expected


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "Choose an image"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG, JPEG, GIF or WebP"),
        (b"<html>not an image</html>", "PNG, JPEG, GIF or WebP"),
        (PNG + b"\0" * MAX_BYTES, "at most 1000 kB"),
    ],
)
def test_what_is_not_a_logo_is_refused_with_the_reason(data, says):
    with pytest.raises(InvalidInput) as refused:
        logo_content_type(data)
    assert says in refused.value.message and refused.value.field == "logo"


def test_without_a_logo_there_is_nothing_to_fetch_and_emails_show_the_name(app, api, services):
    from fastapi.testclient import TestClient

    assert TestClient(app).get("/shop/logo").status_code == 404
    assert services.shop().logo_url is None
    order = create_order(api)
    html = api.post(f"{BASE}/notification_templates/order_confirmation/preview.json?order_id={order['id']}").json()["preview"]["html"]
    assert "<img" not in html.split("</strong>")[0]


def test_a_logo_is_served_and_shown_on_the_packing_slip_the_status_page_and_in_emails(app, api, admin, services):
    from fastapi.testclient import TestClient

    assert shop_logo.set_logo(services, PNG, caller=SYSTEM) == "image/png"
    shop = services.shop()
    assert shop.logo_path.startswith("/shop/logo?v=")
    served = TestClient(app).get(shop.logo_path)  # public: email clients fetch it without a session
    assert served.status_code == 200 and served.content == PNG
    assert served.headers["content-type"] == "image/png" and served.headers["x-content-type-options"] == "nosniff"
    assert "max-age=31536000" in served.headers["cache-control"]

    order = create_order(api)
    fo = api.get(f"{BASE}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    slip = admin.get(f"/admin/orders/{order['id']}/fulfillment_orders/{fo['id']}/packing_slip").text
    assert f'<img class="shop-logo" src="{shop.logo_path}"' in slip
    status = TestClient(app).get(urlsplit(order["order_status_url"]).path).text
    assert f'src="{shop.logo_path}"' in status
    html = api.post(f"{BASE}/notification_templates/order_confirmation/preview.json?order_id={order['id']}").json()["preview"]["html"]
    assert f'<img src="{shop.logo_url}"' in html and shop.logo_url.startswith("http")


def test_only_members_with_the_settings_permission_change_the_logo(services):
    packer = Caller(name="Packer", staff_id=7, permissions=frozenset({"orders", "fulfillment"}))
    with pytest.raises(Forbidden):
        shop_logo.set_logo(services, PNG, caller=packer)
    assert services.shop().logo_path is None


def test_the_command_line_sets_and_removes_the_logo_and_refuses_other_files(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/logo.db"
    assert main(["shop", "init", "--database-url", url, "--name", "Shop", "--email", "a@b.c", "--currency", "EUR"]) == 0
    image, page = tmp_path / "logo.png", tmp_path / "logo.svg"
    image.write_bytes(PNG)
    page.write_text("<svg/>")
    assert main(["shop", "logo", str(page), "--database-url", url]) == 2
    assert "PNG, JPEG, GIF or WebP" in capsys.readouterr().err
    assert main(["shop", "logo", str(tmp_path / "missing.png"), "--database-url", url]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["shop", "logo", str(image), "--database-url", url]) == 0
    assert "/shop/logo?v=" in capsys.readouterr().out
    # Re-running `shop init` keeps the logo.
    assert main(["shop", "init", "--database-url", url, "--name", "Shop 2", "--email", "a@b.c", "--currency", "EUR"]) == 0
    with sqlalchemy.create_engine(url).connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT count(*) FROM shop_logo")).scalar() == 1
        assert conn.execute(sqlalchemy.text("SELECT logo_updated_at FROM shop")).scalar() is not None
    assert main(["shop", "logo", "--remove", "--database-url", url]) == 0
    assert "logo removed" in capsys.readouterr().out
    with sqlalchemy.create_engine(url).connect() as conn:
        assert conn.execute(sqlalchemy.text("SELECT count(*) FROM shop_logo")).scalar() == 0
