"""Shopify's GraphQL Admin API for orders, schema-first: Shopify's own SDL (admin_orders.graphql)
is the contract, and each noun's resolvers reach orders through the same services, queries and
access rule (``Caller`` scopes, the 60-day window) as the REST routes."""
