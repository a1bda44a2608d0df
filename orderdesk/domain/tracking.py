"""Tracking links for the carriers Shopify knows by name.

Shopify builds ``tracking_url`` itself when a fulfillment names a known tracking company and
gives numbers but no URL; apps rely on that to make numbers clickable in emails and pages.
The UPS, USPS and TNT patterns are the ones Shopify's documented examples show.
"""

from __future__ import annotations

from urllib.parse import quote

# Tracking company, as Shopify spells it -> its tracking page, with {number} for the number.
CARRIER_URLS: dict[str, str] = {
    "4PX": "https://track.4px.com/#/result/0/{number}",
    "Amazon Logistics UK": "https://track.amazon.co.uk/tracking/{number}",
    "Amazon Logistics US": "https://track.amazon.com/tracking/{number}",
    "An Post": "https://www.anpost.com/Post-Parcels/Track/History?item={number}",
    "Australia Post": "https://auspost.com.au/mypost/track/#/details/{number}",
    "BPost": "https://track.bpost.cloud/btr/web/#/search?itemCode={number}&lang=en",
    "Canada Post": "https://www.canadapost-postescanada.ca/track-reperage/en#/details/{number}",
    "Canpar": "https://www.canpar.com/en/tracking/track.htm?barcode={number}",
    "Chronopost": "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={number}",
    "Colissimo": "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    "Correos": "https://www.correos.es/es/es/herramientas/localizador/envios/detalle?tracking-number={number}",
    "Deutsche Post": "https://www.deutschepost.de/sendung/simpleQueryResult.html?form.sendungsnummer={number}",
    "DHL eCommerce": "https://webtrack.dhlecs.com/?trackingnumber={number}",
    "DHL Express": "https://www.dhl.com/en/express/tracking.html?AWB={number}&brand=DHL",
    "DPD": "https://tracking.dpd.de/status/en_US/parcel/{number}",
    "DPD UK": "https://track.dpd.co.uk/parcels/{number}",
    "Evri": "https://www.evri.com/track/parcel/{number}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "GLS": "https://gls-group.eu/EU/en/parcel-tracking?match={number}",
    "Japan Post (EN)": "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}&locale=en",
    "La Poste": "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
    "New Zealand Post": "https://www.nzpost.co.nz/tools/tracking?trackid={number}",
    "OnTrac": "https://www.ontrac.com/tracking/?number={number}",
    "Poste Italiane": "https://www.poste.it/cerca/index.html#/risultati-spedizioni/{number}",
    "PostNL": "https://postnl.nl/tracktrace/?B={number}",
    "PostNord DK": "https://tracking.postnord.com/dk/?id={number}",
    "PostNord NO": "https://tracking.postnord.com/no/?id={number}",
    "PostNord SE": "https://tracking.postnord.com/se/?id={number}",
    "Purolator": "https://www.purolator.com/en/shipping/tracker?pin={number}",
    "Royal Mail": "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    "Sendle": "https://track.sendle.com/tracking?ref={number}",
    "StarTrack": "https://startrack.com.au/track/details/{number}",
    "Swiss Post": "https://service.post.ch/ekp-web/ui/entry/search/{number}",
    "TNT": "https://www.tnt.com/express/en_us/site/tracking.html?searchType=con&cons={number}",
    "UPS": "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums={number}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1={number}",
    "YunExpress": "https://www.yuntrack.com/parcelTracking?id={number}",
}

# Shopify asks for the exact spelling; a client sending "ups" or "Fedex " still means the carrier.
_BY_KEY = {name.casefold(): url for name, url in CARRIER_URLS.items()}


def tracking_url(company: str | None, number: str) -> str | None:
    """The carrier's tracking page for ``number``, or None for a carrier we do not know."""
    template = _BY_KEY.get((company or "").strip().casefold())
    # Shopify drops the whitespace people paste into numbers; quoting keeps a stray "#" or "&"
    # from cutting the link short.
    compact = "".join(number.split())
    if template is None or not compact:
        return None
    return template.format(number=quote(compact, safe=""))


def tracking_urls(company: str | None, numbers: list[str] | tuple[str, ...], urls: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The URLs a fulfillment shows: the client's own when it sent any, else the carrier's."""
    if urls:
        return list(urls)
    built = [tracking_url(company, n) for n in numbers]
    return [u for u in built if u is not None]
