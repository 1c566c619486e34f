"""The web page (``atgardsplan serve``): administrators drop workbooks in a browser.

A Flask application over the jobs: each route maps a request to a job of
``converter.jobs`` and the result to a page (``converter.pages`` gives the values,
the Jinja2 templates ``page.html.j2`` and its partials in ``templates/`` the markup).
No workbook logic lives here.

Safe for an office network:

- Uploads are limited per file and per request (``WebSettings``); too large an
  upload is answered with a Swedish page (413), never a dropped connection. Every
  upload goes through the same checks as the command line (decompression bombs, XML
  entity attacks, encryption) before it is read.
- Uploads are saved to a temporary folder removed when the answer is sent; the
  results are kept for ``keep_seconds`` under an unguessable token
  (``converter.downloads``), then removed.
- Every page is autoescaped and sent with a Content-Security-Policy that allows no
  script but the page's own file; downloads are attachments with a safe UTF-8 name.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from flask import Flask, Response, abort, request, send_file
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import AtgardsplanError, Failure, OutputError
from ..jobs import (
    YEARS,
    Spec,
    convert_uploads,
    environment,
    error_text,
    load_spec,
    settle_districts,
    settle_year,
    size_text,
    template_folders,
    templates_archive_name,
    texts,
    write_templates,
)
from .downloads import DownloadStore, safe_file_name
from .pages import batch_view
from .settings import MiB, WebSettings

log = logging.getLogger("atgardsplan.web")

#: The form field of the workbooks, and of the template form.
FILES_FIELD = "arbetsbocker"
#: Files the page serves itself (its style and its script), from ``templates/``.
ASSETS = {"sida.css": "text/css", "report.css": "text/css", "sida.js": "text/javascript"}
MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".zip": "application/zip",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@dataclass
class Site:
    """What every request needs: the settings, the spec, the results, the templates."""

    settings: WebSettings
    spec: Spec
    store: DownloadStore
    templates: jinja2.Environment

    def render(self, name: str, status: int = 200, **values: Any) -> Response:
        values.setdefault("errors", [])
        values.setdefault("results", None)
        values.setdefault("next_year", dt.date.today().year + 1)
        html = self.templates.get_template(name).render(
            t=texts(self.spec), limits=self.limits(), districts=self.districts(), **values
        )
        return Response(html, status=status, mimetype="text/html")

    def limits(self) -> dict[str, Any]:
        s = self.settings
        return {
            "file": size_text(s.max_file_bytes),
            "request": size_text(s.max_request_bytes),
            "file_bytes": s.max_file_bytes,
            "request_bytes": s.max_request_bytes,
            "files": s.max_files,
            "minutes": max(1, round(s.keep_seconds / 60)),
        }

    def districts(self) -> list[str]:
        return list(self.spec.naming.current)

    def error(self, code: str, status: int, **data: Any) -> Response:
        return self.render(
            "page.html.j2", status=status, errors=[error_text(self.spec, code, data)]
        )


def create_app(settings: WebSettings | None = None) -> Flask:
    """The web application (a WSGI callable): ``serve`` runs it with waitress."""
    settings = settings or WebSettings.from_env()
    site = Site(
        settings,
        load_spec(settings.spec_path),
        DownloadStore(settings.results_dir, settings.keep_seconds),
        environment(settings.template_dir),
    )
    app = Flask("atgardsplan", static_folder=None, template_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=256 * 1024,  # the text fields, never the files
        MAX_FORM_PARTS=settings.max_files + 32,
    )
    app.extensions["atgardsplan"] = site

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/")
    def index() -> Response:
        return site.render("page.html.j2")

    @app.post("/granska")
    def inspect() -> Response:
        site.store.sweep()
        uploads = [f for f in request.files.getlist(FILES_FIELD) if f.filename]
        if not uploads:
            return site.error("no-file", 400)
        if len(uploads) > settings.max_files:
            return site.error("too-many-files", 400, limit=settings.max_files, count=len(uploads))
        token, folder = site.store.new_folder()
        with tempfile.TemporaryDirectory(prefix="atgardsplan-upload-") as tmp:
            inputs = [_saved(u, Path(tmp) / str(i), settings) for i, u in enumerate(uploads)]
            batch = convert_uploads(
                inputs, folder, site.spec, max_unpacked_bytes=settings.max_unpacked_bytes
            )
        for r in batch.results:
            if isinstance(r, Failure) and r.code == "unexpected":
                log.error("unexpected failure on %s: %s", r.path.name, r.reason)
        view = batch_view(batch, site.spec, token, site.store.root)
        return site.render("page.html.j2", results=view)

    @app.get("/hamta/<token>/<path:name>")
    def download(token: str, name: str) -> Response:
        path = site.store.find(token, name)
        if path is None:
            return site.error("expired", 404)
        return send_file(
            path,
            mimetype=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
            as_attachment=True,
            download_name=path.name,
            max_age=0,
        )

    @app.post("/mall")
    def template() -> Response:
        form = request.form
        try:
            year = settle_year(int(form.get("ar", "").strip()))
        except (ValueError, AtgardsplanError):  # not a number, or not a plan's year
            return site.error("template-year", 400, low=YEARS[0], high=YEARS[1])
        assert year is not None
        known = site.districts()
        ticked = [d for d in form.getlist("stadsdel") if d in known]
        typed = form.get("andra", "").replace(",", "\n").splitlines()
        names = settle_districts([*ticked, *typed], site.spec)
        if not names:
            return site.error("template-district", 400)
        limit = max(settings.max_files, len(known))
        if len(names) > limit:  # a pasted list of hundreds would tie up the server
            return site.error("too-many-templates", 400, limit=limit, count=len(names))
        own = form.get("eget", "").strip() or None
        with tempfile.TemporaryDirectory(prefix="atgardsplan-mall-") as tmp:
            results = write_templates(year, names, site.spec, own_area=own, out_dir=Path(tmp))
            failures = [r for r in results if isinstance(r, Failure)]
            if failures:
                return site.render(
                    "page.html.j2",
                    status=400,
                    errors=[error_text(site.spec, f.code, f.data) for f in failures],
                )
            files = [r for r in results if isinstance(r, Path)]
            if len(files) == 1:
                data, name = files[0].read_bytes(), files[0].name
            else:
                data, name = _zipped(files), templates_archive_name(site.spec, year)
        return send_file(
            io.BytesIO(data),
            mimetype=MEDIA_TYPES[Path(name).suffix],
            as_attachment=True,
            download_name=name,
        )

    @app.get("/resurser/<name>")
    def asset(name: str) -> Response:
        if name not in ASSETS:
            abort(404)
        for folder in template_folders(settings.template_dir):
            if (folder / name).is_file():
                response = send_file(folder / name, mimetype=ASSETS[name], max_age=300)
                response.headers["Cache-Control"] = "public, max-age=300"
                return response
        abort(404)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge) -> Response:
        return site.error("request-too-large", 413, limit=size_text(settings.max_request_bytes))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        return site.render("error.html.j2", status=code, status_code=code)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected failure")
        return site.render("error.html.j2", status=500, status_code=500)

    return app


def _saved(upload: FileStorage, folder: Path, settings: WebSettings) -> Path | Failure:
    """The upload saved under its safe name in ``folder``, or why it is refused."""
    name = safe_file_name(upload.filename)
    stream = upload.stream
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > settings.max_file_bytes:
        return Failure(
            Path(name),
            f"upload of {size} bytes is over the limit of {settings.max_file_bytes}",
            "upload-too-large",
            {"size": size_text(size), "limit": size_text(settings.max_file_bytes)},
        )
    folder.mkdir()
    target = folder / name
    upload.save(target)
    return target


def _zipped(files: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in files:
            zf.write(f, f.name)
    return buffer.getvalue()


# -- the server ------------------------------------------------------------------------

#: Hosts that only this computer can reach.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def serve(
    settings: WebSettings,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    threads: int = 4,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Run the page with waitress until Ctrl-C (or SIGTERM); then remove every result.

    ``announce`` is told the page's address once the server listens (port 0 picks a
    free port).
    """
    import signal
    import webbrowser

    from waitress.server import create_server

    if not logging.getLogger().handlers:  # the server's log: failures, with tracebacks
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    try:
        server = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            # Over this, waitress answers a plain 413 itself and the page never sees it;
            # up to it, the page answers too large a request with its Swedish message.
            max_request_body_size=4 * settings.max_request_bytes + MiB,
            clear_untrusted_proxy_headers=True,
            ident="atgardsplan",
        )
    except OSError as exc:  # the port is taken, or the address is not this computer's
        app.extensions["atgardsplan"].store.close()
        raise OutputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            code="cannot-listen",
            host=host,
            port=port,
        ) from None
    bound_host, bound_port = server.socket.getsockname()[:2]  # type: ignore[union-attr]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    url = f"http://{shown}:{bound_port}/"

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM stop it, even where the shell started it with SIGINT ignored
    # (a background job of a script): Python then installs no handler of its own.
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    announce(url)
    if open_browser:
        webbrowser.open(url)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.close()
        app.extensions["atgardsplan"].store.close()
