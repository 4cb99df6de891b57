"""The web page: `/` and its static files from `api/static/` (committed; no build step).

Open, like `/healthz`: the page asks for the API key and sends it with its own requests.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.errors import not_found

router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
# The page talks only to this origin and runs only its own script: a stored API key is not
# readable by injected markup. Inline styles are allowed for the chart's SVG.
HEADERS = {
    "Cache-Control": "no-cache",  # revalidate (ETag): a new release shows at once
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _files() -> dict[str, Path]:
    """Served names: the files in the folder, nothing else (no paths from the URL)."""
    return {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in MEDIA_TYPES and p.is_file()}


FILES = _files()


def _serve(name: str) -> FileResponse:
    path = FILES.get(name)
    if path is None:
        raise not_found("file", name)
    return FileResponse(path, media_type=MEDIA_TYPES[path.suffix], headers=HEADERS)


@router.get("/")
async def index() -> FileResponse:
    return _serve("index.html")


@router.get("/static/{name}")
async def static_file(name: str) -> FileResponse:
    return _serve(name)
