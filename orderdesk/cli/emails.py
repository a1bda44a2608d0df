"""``orderdesk emails``: the emails kept in the database when no SMTP server is configured."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from ..domain.errors import NotFound
from ..services import notifications
from ..services.context import Services


def print_emails(services: Services, *, order_id: int | None, limit: int, show: int | None) -> int:
    tz = ZoneInfo(services.shop().iana_timezone)
    if show is not None:
        email = notifications.captured_email(services, show)
        if email is None:
            raise NotFound(f"no captured email with id {show}")
        print(f"From:     {email['sender']}")
        print(f"To:       {email['recipient']}")
        print(f"Subject:  {email['subject']}")
        print(f"Date:     {email['created_at'].astimezone(tz):%Y-%m-%d %H:%M %Z}")
        print(f"Order id: {email['order_id']}    Template: {email['template']}")
        print()
        print(email["text"], end="")
        return 0
    rows = notifications.captured_emails(services, order_id=order_id, limit=limit)
    if not rows:
        print("no captured emails" + (f" for order {order_id}" if order_id else ""))
        return 0
    for e in rows:
        when = e["created_at"].astimezone(tz)
        print(f"{e['id']}\t{when:%Y-%m-%d %H:%M}\torder {e['order_id']}\t{e['template']}\t{e['recipient']}\t{e['subject']}")
    print("(newest first; `orderdesk emails --show ID` prints one)")
    return 0
