"""Carriers we know: their canonical names and the public page that tracks a parcel."""

from __future__ import annotations

import re
from urllib.parse import quote

_TRACKING_PAGES = {
    "DHL": "https://www.dhl.com/global-en/home/tracking.html?submit=1&tracking-id={}",
    "UPS": "https://www.ups.com/track?loc=en_US&tracknum={}",
    "DB Schenker": "https://www.dbschenker.com/app/tracking-public/?refNumber={}",
    "DPD": "https://tracking.dpd.de/status/en_US/parcel/{}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={}",
}
_ALIASES = {
    "dhl": "DHL",
    "dhlexpress": "DHL",
    "dhlpaket": "DHL",
    "dhlparcel": "DHL",
    "ups": "UPS",
    "unitedparcelservice": "UPS",
    "dbschenker": "DB Schenker",
    "schenker": "DB Schenker",
    "dpd": "DPD",
    "fedex": "FedEx",
    "federalexpress": "FedEx",
}
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def canonical_carrier(name: str) -> str:
    """ "dhl express" -> "DHL"; a carrier we do not know keeps the name it was given."""
    return _ALIASES.get(_NOT_ALNUM.sub("", name.casefold()), name.strip())


def tracking_url(carrier: str, tracking_number: str) -> str | None:
    """The carrier's public tracking page for the parcel, or None for an unknown carrier."""
    page = _TRACKING_PAGES.get(canonical_carrier(carrier))
    if page is None or not tracking_number.strip():
        return None
    return page.format(quote(tracking_number.strip(), safe=""))
