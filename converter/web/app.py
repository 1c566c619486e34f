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
  script but the page's own file; downloads are attachments with a safe UTF-8 name,
  never cached (``Cache-Control: no-store``).
- A request whose ``Host`` is not one of the server's names (``WebSettings.hosts``)
  is refused (a DNS-rebinding page cannot reach it), and so is a form sent from
  another site (``Sec-Fetch-Site: cross-site``, or a foreign ``Origin``): Swedish
  pages, 400 and 403. A failure is logged; no answer shows an exception's text or a
  path of the server.
"""

from __future__ import annotations

import datetime as dt
import io
import ipaddress
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
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..errors import AtgardsplanError, Failure, OutputError
from ..jobs import (
    RELEASE_AFTER_BYTES,
    YEARS,
    RequestBudget,
    Spec,
    convert_uploads,
    environment,
    error_text,
    load_spec,
    release_memory,
    settle_districts,
    settle_year,
    size_text,
    template_folders,
    templates_archive_name,
    texts,
    upload_cost,
    write_templates,
)
from .downloads import DownloadStore, safe_file_name
from .gate import WorkGate
from .pages import batch_view
from .settings import MiB, WebSettings

log = logging.getLogger("atgardsplan.web")

#: The form field of the workbooks, and of the template form.
FILES_FIELD = "arbetsbocker"
#: Files the page serves itself (its style and its script), from ``templates/``.
ASSETS = {"sida.css": "text/css", "report.css": "text/css", "sida.js": "text/javascript"}
MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",  # Flask adds the one "; charset=utf-8" of a text type
    ".json": "application/json",
    ".html": "text/html",
    ".zip": "application/zip",
}
#: The field of the page each refusal is about: its error links there and marks it.
ERROR_FIELDS = {
    "no-file": "arbetsbocker",
    "too-many-files": "arbetsbocker",
    "too-many-parts": "arbetsbocker",
    "request-too-large": "arbetsbocker",
    "template-year": "ar",
    "template-district": "stadsdel-1",
    "too-many-templates": "andra",
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
    gate: WorkGate

    def render(self, name: str, status: int = 200, **values: Any) -> Response:
        values.setdefault("errors", [])
        values.setdefault("results", None)
        values.setdefault("form", {})
        values.setdefault("next_year", dt.date.today().year + 1)
        html = self.templates.get_template(name).render(
            t=texts(self.spec),
            limits=self.limits(),
            districts=self.districts(),
            operator=self.settings.operator,
            contact=self.settings.contact,
            **values,
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

    def error(
        self, code: str, status: int, form: dict[str, Any] | None = None, **data: Any
    ) -> Response:
        """The page answered with one refusal, the form as it was sent."""
        return self.render(
            "page.html.j2", status=status, errors=[self.refusal(code, data)], form=form or {}
        )

    def refusal(self, code: str, data: Any) -> dict[str, str | None]:
        """A refusal as the page shows it: the Swedish text, the field it is about."""
        return {"text": error_text(self.spec, code, data), "field": ERROR_FIELDS.get(code)}


def create_app(settings: WebSettings | None = None) -> Flask:
    """The web application (a WSGI callable): ``serve`` runs it with waitress."""
    settings = settings or WebSettings.from_env()
    site = Site(
        settings,
        load_spec(settings.spec_path),
        DownloadStore(settings.results_dir, settings.keep_seconds),
        environment(settings.template_dir),
        WorkGate(settings.busy_unpacked_bytes, settings.busy_wait_seconds),
    )
    app = Flask("atgardsplan", static_folder=None, template_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        MAX_FORM_MEMORY_SIZE=256 * 1024,  # the text fields, never the files
        MAX_FORM_PARTS=settings.max_files + 32,
    )
    app.extensions["atgardsplan"] = site

    names = settings.host_names()

    @app.before_request
    def guard() -> Response | None:
        """Only the server's own names, and forms sent from its own pages."""
        if not host_allowed(request.host, names):
            log.warning("refused a request for host %r", request.host[:100])
            return site.error("unknown-host", 400)
        if request.method == "POST" and cross_site(request.headers, request.host):
            log.warning("refused a cross-site %s to %s", request.method, request.path)
            return site.error("cross-site", 403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        # Pages, downloads and refusals are never kept by a cache; the page's own
        # style and script are (their route says for how long).
        if request.endpoint != "asset" or response.status_code != 200:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/")
    def index() -> Response:
        return site.render("page.html.j2")

    @app.get("/tillganglighet")
    def statement() -> Response:
        return site.render("tillganglighet.html.j2")

    @app.post("/granska")
    def inspect() -> Response:
        site.store.sweep()
        uploads = [f for f in request.files.getlist(FILES_FIELD) if f.filename]
        if not uploads:
            return site.error("no-file", 400)
        if len(uploads) > settings.max_files:
            return site.error("too-many-files", 400, limit=settings.max_files, count=len(uploads))
        budget = RequestBudget(settings.max_request_unpacked_bytes, settings.max_request_disk_bytes)
        with tempfile.TemporaryDirectory(prefix="atgardsplan-upload-") as tmp:
            inputs = [_saved(u, Path(tmp) / str(i), settings) for i, u in enumerate(uploads)]
            cost = upload_cost(inputs, settings.max_unpacked_bytes, budget)
            with site.gate.admit(cost) as admitted:
                if not admitted:
                    log.warning("busy: an upload of %d files waited in vain", len(inputs))
                    return site.error("busy", 503)
                token, folder = site.store.new_folder()
                batch = convert_uploads(
                    inputs,
                    folder,
                    site.spec,
                    max_unpacked_bytes=settings.max_unpacked_bytes,
                    budget=budget,
                )
        for r in batch.results:
            if isinstance(r, Failure) and r.code == "unexpected":  # shown without its text
                log.error("unexpected failure on %s: %s", r.path.name, r.reason)
        view = batch_view(batch, site.spec, token, site.store.root)
        del batch  # the plans: the page needs only the view
        if cost >= RELEASE_AFTER_BYTES:
            release_memory()
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
            conditional=False,
            etag=False,
        )

    @app.post("/mall")
    def template() -> Response:
        form = request.form
        known = site.districts()
        sent = kept_form(form, known)
        try:
            year = settle_year(int(form.get("ar", "").strip()))
        except (ValueError, AtgardsplanError):  # not a number, or not a plan's year
            return site.error("template-year", 400, sent, low=YEARS[0], high=YEARS[1])
        assert year is not None
        typed = form.get("andra", "").replace(",", "\n").splitlines()
        names = settle_districts([*sent["stadsdel"], *typed], site.spec)
        if not names:
            return site.error("template-district", 400, sent)
        limit = max(settings.max_files, len(known))
        if len(names) > limit:  # a pasted list of hundreds would tie up the server
            return site.error("too-many-templates", 400, sent, limit=limit, count=len(names))
        own = form.get("eget", "").strip() or None
        with tempfile.TemporaryDirectory(prefix="atgardsplan-mall-") as tmp:
            results = write_templates(year, names, site.spec, own_area=own, out_dir=Path(tmp))
            failures = [r for r in results if isinstance(r, Failure)]
            if failures:
                for f in failures:
                    log.error("template for %s not written: %s", f.path.name, f.reason)
                return site.render(
                    "page.html.j2",
                    status=400,
                    errors=[site.refusal(f.code, f.data) for f in failures],
                    form=sent,
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
            etag=False,
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
        length = request.content_length
        if length is not None and length <= settings.max_request_bytes:
            # Not the size: the form had more parts (files) than MAX_FORM_PARTS.
            return site.error("too-many-parts", 413, limit=settings.max_files)
        return site.error("request-too-large", 413, limit=size_text(settings.max_request_bytes))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        response = site.render("error.html.j2", status=code, status_code=code)
        for name, value in exc.get_headers():  # a 405's Allow, say
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("unexpected failure")
        return site.render("error.html.j2", status=500, status_code=500)

    return app


def kept_form(form: MultiDict[str, str], known: list[str]) -> dict[str, Any]:
    """What the template form was sent with, to fill it in again after a refusal."""
    return {
        "ar": form.get("ar", "")[:10],
        "stadsdel": [d for d in form.getlist("stadsdel") if d in known],
        "andra": form.get("andra", "")[:2000],
        "eget": form.get("eget", "")[:100],
    }


def host_allowed(host: str, names: frozenset[str]) -> bool:
    """Whether ``host`` (the Host header, with or without a port) names this server:
    an address (an IP literal cannot be rebound by DNS), or one of ``names``."""
    name = host.strip().lower()
    if name.startswith("["):  # [::1]:8765
        name = name[1 : name.find("]")] if "]" in name else ""
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    if not name:
        return False
    if "*" in names or name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def cross_site(headers: Any, host: str) -> bool:
    """Whether a POST came from another site's page (a forged form). Browsers say where
    a request comes from in ``Sec-Fetch-Site``; only the page itself ("same-origin")
    or the user ("none") may send a form. Without it (an old browser), a foreign
    ``Origin`` tells. ``Origin: null`` is what the page's own forms send under its
    ``Referrer-Policy: no-referrer``."""
    fetched_from = headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from.strip().lower() not in ("same-origin", "none")
    origin = (headers.get("Origin") or "null").strip().lower()
    return origin != "null" and origin not in (f"http://{host.lower()}", f"https://{host.lower()}")


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


def _channel_answering_413_with_the_page(app: Flask) -> type[Any]:
    """waitress's connection class, answering a body over its own limit with the page's
    Swedish 413 (and its security headers) instead of waitress's English text."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    site: Site = app.extensions["atgardsplan"]
    with app.test_request_context("/granska", method="POST"):
        page = site.error(
            "request-too-large", 413, limit=size_text(site.settings.max_request_bytes)
        )
        page = app.process_response(page)
    body = page.get_data()
    headers = [(k, v) for k, v in page.headers.items() if k.lower() != "content-length"]

    class PageErrorTask(ErrorTask):
        def execute(self) -> None:
            if getattr(getattr(self.request, "error", None), "code", None) != 413:
                super().execute()
                return
            self.status = "413 Request Entity Too Large"
            self.response_headers = [*self.response_headers, *headers]
            self.set_close_on_finish()
            self.content_length = len(body)
            self.write(body)

    class Channel(HTTPChannel):
        error_task_class = PageErrorTask

    return Channel


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
    server.channel_class = _channel_answering_413_with_the_page(app)  # type: ignore[union-attr]
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
