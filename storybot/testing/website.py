"""A local news website for tests of `storybot add`: the fixture pages (tests/fixtures/pages) over
real HTTP on 127.0.0.1, plus the awkward answers real sites give (redirects, PDFs, huge pages).

    /news/<name>        tests/fixtures/pages/<name>.html, or what `pages[name]` was set to
    /go/<name>          302 to /news/<name>
    /loop               302 to itself
    /to-ftp             302 to an ftp:// URL
    /huge               an endless HTML page (no Content-Length)
    /paper.pdf          a PDF
    /story.txt          plain text
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from storybot.testing.paths import FIXTURES

PAGES = FIXTURES / "pages"
PLAIN_STORY = ("Harbour cranes stopped for two hours\n\nThe cranes at Calder's container terminal stopped for two "
               "hours on Tuesday after a power cut, the terminal operator said.\n\nShips were delayed but no cargo was "
               "damaged, a spokesperson said.\n")


class Website:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.pages: dict[str, str] = {}  # name -> HTML served instead of the fixture file
        self.user_agents: list[str] = []

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path


def _handler(site_ref: list[Website]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def _send(self, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
                  headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            site = site_ref[0]
            site.user_agents.append(self.headers.get("User-Agent", ""))
            path = self.path.split("?", 1)[0]
            if path.startswith("/news/"):
                name = path.removeprefix("/news/")
                if name in site.pages:
                    return self._send(200, site.pages[name].encode())
                file = PAGES / f"{name}.html"
                if file.parent == PAGES and file.is_file():
                    return self._send(200, file.read_bytes())
                return self._send(404, b"<h1>Not found</h1>")
            if path.startswith("/go/"):
                return self._send(302, headers={"Location": "/news/" + path.removeprefix("/go/")})
            if path == "/loop":
                return self._send(302, headers={"Location": "/loop"})
            if path == "/to-ftp":
                return self._send(302, headers={"Location": "ftp://files.example/story.txt"})
            if path == "/paper.pdf":
                return self._send(200, b"%PDF-1.4\n%...", content_type="application/pdf")
            if path == "/story.txt":
                return self._send(200, PLAIN_STORY.encode(), content_type="text/plain; charset=utf-8")
            if path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                chunk = b"<p>" + b"filler words " * 500 + b"</p>\n"
                try:
                    self.wfile.write(b"<html><body>")
                    for _ in range(10_000):  # ~65 MB unless the client hangs up first
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                return None
            return self._send(404, b"<h1>Not found</h1>")

    return Handler


@contextmanager
def serve_website() -> Iterator[Website]:
    ref: list[Website] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    server.daemon_threads = True
    ref.append(Website(server))
    thread = threading.Thread(target=server.serve_forever, name="test-website", daemon=True)
    thread.start()
    try:
        yield ref[0]
    finally:
        server.shutdown()
        server.server_close()
