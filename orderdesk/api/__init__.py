"""The REST Admin API: Shopify's paths, JSON shapes, headers and errors."""
