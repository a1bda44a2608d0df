"""Tracking links built for the carriers Shopify knows by name."""

from __future__ import annotations

import pytest

from orderdesk.domain.tracking import CARRIER_URLS, tracking_url, tracking_urls


@pytest.mark.parametrize(
    ("company", "number", "url"),
    [
        # As Shopify's documented examples show them.
        ("UPS", "1Z001985YW99744790", "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z001985YW99744790"),
        ("USPS", "1Z2345", "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345"),
        ("TNT", "123456789", "https://www.tnt.com/express/en_us/site/tracking.html?searchType=con&cons=123456789"),
    ],
)
def test_the_documented_carriers_link_as_shopify_does(company, number, url):
    assert tracking_url(company, number) == url


@pytest.mark.parametrize(
    "company", ["UPS", "USPS", "FedEx", "DHL Express", "Canada Post", "Royal Mail", "Australia Post", "DPD", "GLS", "PostNL"]
)
def test_the_common_carriers_are_known(company):
    url = tracking_url(company, "AB123456789")
    assert url is not None and url.startswith("https://") and "AB123456789" in url


@pytest.mark.parametrize("template", CARRIER_URLS.values())
def test_every_template_is_https_and_takes_the_number_once(template):
    assert template.startswith("https://") and template.count("{number}") == 1


def test_the_company_name_is_matched_without_regard_to_case_or_spaces():
    assert tracking_url(" ups ", "1Z9") == tracking_url("UPS", "1Z9")
    assert tracking_url("fedex", "1234") == tracking_url("FedEx", "1234")


@pytest.mark.parametrize("company", [None, "", "My Courier", "DHL"])
def test_an_unknown_carrier_has_no_link(company):
    assert tracking_url(company, "1Z9") is None


def test_whitespace_is_dropped_and_the_rest_is_quoted():
    assert tracking_url("UPS", " 1Z 999\n") == tracking_url("UPS", "1Z999")
    assert tracking_url("UPS", "A#1&b=2").endswith("trackNums=A%231%26b%3D2")
    assert tracking_url("UPS", "  ") is None


def test_the_clients_own_urls_win():
    assert tracking_urls("UPS", ["1Z1"], ["https://t.example/1Z1"]) == ["https://t.example/1Z1"]


def test_every_number_gets_a_link():
    assert tracking_urls("USPS", ["A1", "A2"]) == [tracking_url("USPS", "A1"), tracking_url("USPS", "A2")]
    assert tracking_urls("My Courier", ["A1"]) == []
    assert tracking_urls("UPS", []) == []
