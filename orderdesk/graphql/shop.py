"""The ``shop`` root field: the shop the token belongs to (orderdesk serves one)."""

from __future__ import annotations

from ariadne import ObjectType

from . import ids

query = ObjectType("QueryRoot")
shop_type = ObjectType("Shop")

# orderdesk serves one shop; REST calls it 1 too.
SHOP_ID = 1


@query.field("shop")
def resolve_shop(_, info):
    return info.context["shop"]


shop_type.set_field("id", lambda s, info: ids.gid("Shop", SHOP_ID))
shop_type.set_field("name", lambda s, info: s.name)
shop_type.set_field("email", lambda s, info: s.email)
shop_type.set_field("contactEmail", lambda s, info: s.email)
shop_type.set_field("currencyCode", lambda s, info: s.currency)
shop_type.set_field("ianaTimezone", lambda s, info: s.iana_timezone)
shop_type.set_field("myshopifyDomain", lambda s, info: s.domain)
shop_type.set_field("enabledPresentmentCurrencies", lambda s, info: sorted({s.currency, *s.exchange_rates}))
shop_type.set_field("orderNumberFormatPrefix", lambda s, info: s.order_name_prefix)
shop_type.set_field("orderNumberFormatSuffix", lambda s, info: s.order_name_suffix)
# As the REST shop says: prices are entered without tax, and shipping is taxed as the lines are.
shop_type.set_field("taxesIncluded", lambda s, info: False)
shop_type.set_field("taxShipping", lambda s, info: False)

TYPES = [query, shop_type]
