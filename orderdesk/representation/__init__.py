"""Shopify REST JSON shapes for our objects, shared by the API and webhook payloads."""
