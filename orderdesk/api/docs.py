"""The API documentation pages: Swagger UI at /docs and ReDoc at /redoc, both over /openapi.json.

Their JavaScript and CSS come from the installed ``fastapi-offline`` package (Swagger UI 5 and
ReDoc 2, the builds FastAPI would otherwise load from a CDN) and are served from here under
``/docs/assets``, so the pages work on a machine without internet and load nothing from another
origin. The pages are FastAPI's own (``get_swagger_ui_html``, ``get_redoc_html``). Swagger UI's
inline start-up script is allowed by its hash and nothing else inline; ReDoc writes its styles
into the page as it renders, so /redoc also allows inline styles, never inline scripts
(security_headers.docs_policy).
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .security_headers import docs_policy

ASSETS = "/docs/assets"
ASSETS_PACKAGE = ("fastapi_offline", "static")

router = APIRouter(include_in_schema=False)

_INLINE = re.compile(rb"<(script|style)>(.*?)</\1>", re.DOTALL)


def _hashes(html: bytes, tag: bytes) -> list[str]:
    return ["'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'" for t, body in _INLINE.findall(html) if t == tag]


def _with_policy(page: HTMLResponse, *, inline_styles: bool = False) -> HTMLResponse:
    """The page with a policy that allows exactly its own inline blocks, and this origin's files."""
    body = bytes(page.body)
    policy = docs_policy(scripts=_hashes(body, b"script"), styles=_hashes(body, b"style"), inline_styles=inline_styles)
    return HTMLResponse(body, headers={"Content-Security-Policy": policy})


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    return _with_policy(
        get_swagger_ui_html(
            openapi_url=f"{root}{request.app.openapi_url}",
            title=f"{request.app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
            # Swagger UI's default validator badge is an image from validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True},
        )
    )


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    return _with_policy(
        get_redoc_html(
            openapi_url=f"{root}{request.app.openapi_url}",
            title=f"{request.app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS}/favicon.png",
            with_google_fonts=False,
        ),
        inline_styles=True,
    )


def install(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets (the app is created with docs_url=None, redoc_url=None)."""
    app.include_router(router)
    app.mount(ASSETS, StaticFiles(packages=[ASSETS_PACKAGE]), name="docs-assets")
