"""Fixtures several API test modules share: a real SMTP inbox, loopback receivers, a service token."""

from __future__ import annotations

import pytest

from orderdesk.config import SmtpSettings
from orderdesk.services.apps import signing_secret
from orderdesk.services.tokens import create_token
from orderdesk.webhooks import ssrf
from tests.conftest import ALL_SCOPES, SERVICE_SCOPES
from tests.loopback import free_port, smtp_server
from tests.worker.receiver import Receiver


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def inbox(services, smtp_port):
    with smtp_server(smtp_port) as handler:
        services.smtp = SmtpSettings(host="127.0.0.1", port=smtp_port, from_address="store@test-shop.example")
        yield handler


@pytest.fixture
def allow_private(monkeypatch):
    # The receivers in these tests listen on loopback, which production refuses.
    monkeypatch.setattr(ssrf, "ALLOW_PRIVATE", True)


@pytest.fixture
def receiver(services, token):
    """A loopback receiver verifying with the signing secret of the tests' app (the `api` client's)."""
    r = Receiver(secret=signing_secret(services, "tests")).start()
    yield r
    r.stop()


@pytest.fixture
def svc(api, services, allow_private):
    """The API client with a token that may also manage fulfillment services."""
    api.headers["X-Shopify-Access-Token"] = create_token(services, "svc", ALL_SCOPES + SERVICE_SCOPES)
    return api
