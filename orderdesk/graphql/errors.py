"""Top-level GraphQL errors in Shopify's shapes: ``{"message", "locations", "path", "extensions": {"code"}}``."""

from __future__ import annotations

from graphql import GraphQLError

ACCESS_SCOPES_DOC = "https://shopify.dev/api/usage/access-scopes"


class ShopifyError(GraphQLError):
    """A GraphQL error carrying Shopify's ``extensions.code`` (and any other extensions)."""

    def __init__(self, message: str, code: str, **extensions) -> None:
        super().__init__(message, extensions={"code": code, **extensions})


def access_denied(field: str, scope: str) -> ShopifyError:
    required = f"`{scope}` access scope."
    return ShopifyError(
        f"Access denied for {field} field. Required access: {required}",
        "ACCESS_DENIED",
        documentation=ACCESS_SCOPES_DOC,
        requiredAccess=required,
    )


def require(info, scope: str) -> None:
    """Refuse the field unless the request's caller holds ``scope`` (a write scope implies its read)."""
    if not info.context["caller"].has(scope):
        raise access_denied(info.field_name, scope)
