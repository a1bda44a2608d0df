"""``orderdesk app list|secret``: the apps tokens belong to, and the secret each signs its webhooks with."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parser(sub: argparse._SubParsersAction, with_db: Callable[[argparse.ArgumentParser], None]) -> None:
    apps = sub.add_parser("app", help="apps (what API tokens belong to) and their webhook signing secrets")
    apps_sub = apps.add_subparsers(dest="app_command", required=True)
    lst = apps_sub.add_parser("list", help="list apps")
    with_db(lst)
    secret = apps_sub.add_parser("secret", help="print the secret an app's webhook receivers verify X-Shopify-Hmac-Sha256 with")
    with_db(secret)
    secret.add_argument("name")
    secret.add_argument("--rotate", action="store_true", help="make a new secret first (receivers need the new one)")


def run(args: argparse.Namespace, services_for: Callable[[str], object]) -> int:
    from ..services import apps

    services = services_for(args.database_url)
    if args.app_command == "list":
        for row in apps.list_apps(services):  # type: ignore[arg-type]
            print(f"{row['id']}\t{row['name']}")
        return 0
    secret = apps.signing_secret(services, args.name)  # type: ignore[arg-type]
    if args.rotate:
        app_id = next(a["id"] for a in apps.list_apps(services) if a["name"] == args.name)  # type: ignore[arg-type]
        secret = apps.rotate_signing_secret(services, app_id)  # type: ignore[arg-type]
    print(secret)
    return 0
