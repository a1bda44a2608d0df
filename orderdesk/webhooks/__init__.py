"""Outbound webhooks: Shopify-style signed deliveries with an SSRF guard."""
