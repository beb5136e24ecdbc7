"""The browser client: one page shell for every client route, its static files, the web
app manifest and the service worker that keeps the shell for offline use."""

import os
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from unspoken.api.problems import Problem
from unspoken.api.shell import ShellCache

NO_CACHE = {"Cache-Control": "no-cache"}
# The worker controls the whole origin; browsers re-check it on every visit (no-cache).
WORKER_HEADERS = {**NO_CACHE, "Service-Worker-Allowed": "/"}


class _Static(StaticFiles):
    """Static files revalidated on every load until they are served with content hashes."""

    def file_response(
        self,
        full_path: "str | os.PathLike[str]",
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(NO_CACHE)
        return response


def _shell(web_dir: Path) -> FileResponse:
    index = web_dir / "index.html"
    if not index.is_file():
        raise Problem(404, "Not found", "The browser client is not installed here.")
    return FileResponse(index, media_type="text/html", headers=NO_CACHE)


def mount(app: FastAPI, web_dir: Path) -> None:
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def home() -> FileResponse:
        return _shell(web_dir)

    @router.get("/join/{invite_id}")
    async def join(invite_id: str) -> FileResponse:
        return _shell(web_dir)

    @router.get("/device/{notebook_id}/{link_id}")
    async def device(notebook_id: str, link_id: str) -> FileResponse:
        return _shell(web_dir)

    @router.get("/n/{notebook_id}")
    async def notebook(notebook_id: str) -> FileResponse:
        return _shell(web_dir)

    shell = ShellCache(web_dir)

    @router.get("/sw.js")
    async def worker() -> Response:
        if not (web_dir / "sw.js").is_file():
            raise Problem(404, "Not found", "The browser client is not installed here.")
        return Response(shell.worker(), media_type="text/javascript", headers=WORKER_HEADERS)

    @router.get("/manifest.webmanifest")
    async def manifest() -> FileResponse:
        path = web_dir / "manifest.webmanifest"
        if not path.is_file():
            raise Problem(404, "Not found", "The browser client is not installed here.")
        return FileResponse(path, media_type="application/manifest+json", headers=NO_CACHE)

    app.include_router(router)
    if (web_dir / "static").is_dir():
        app.mount("/static", _Static(directory=web_dir / "static"), name="static")
