"""Fetch a web page for `storybot add`, safely: a link someone pastes must not make storybot read
its own network.

http(s) only; every address a host name resolves to must be public (unless the policy allows
private ones), and the connection goes to the address that was checked, so a name cannot
resolve to something else in between; every redirect is checked the same way; the body is
cut off at a size limit and the whole fetch at a time limit; the user agent names storybot.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from pydantic import BaseModel

from storybot.index.errors import StorybotError

USER_AGENT = "storybot/0.1 (adds news stories to quote; +https://github.com/storybot)"
PAGE_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")


class FetchError(StorybotError):
    """The page cannot or may not be fetched."""


class FetchPolicy(BaseModel):
    allow_private: bool = False  # private, loopback and link-local addresses (tests, intranets)
    max_bytes: int = 5_000_000
    timeout: float = 20.0  # seconds for the whole fetch, redirects included
    max_redirects: int = 5


class Fetched(BaseModel):
    url: str  # after redirects
    content_type: str  # "text/html", "text/plain" …
    charset: str | None
    body: bytes

    @property
    def is_page(self) -> bool:
        return self.content_type in PAGE_TYPES


def fetch(url: str, policy: FetchPolicy) -> Fetched:
    """GET `url` under `policy`; FetchError with a one-line reason when refused or failed."""
    deadline = time.monotonic() + policy.timeout
    with httpx.Client(follow_redirects=False, trust_env=False, timeout=policy.timeout,
                      headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain;q=0.8"}) as client:
        for _ in range(policy.max_redirects + 1):
            response_url, fetched = _get(client, url, policy, deadline)
            if fetched is not None:
                return fetched
            url = response_url
    raise FetchError(f"{url}: more than {policy.max_redirects} redirects")


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL storybot may fetch; FetchError otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(f"{url!r} is not a usable URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// links can be added")
    if not parts.hostname:
        raise FetchError(f"{url}: the link has no host name")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def _addresses(host: str, port: int, policy: FetchPolicy) -> list[str]:
    """The addresses of `host`, all of them allowed, or FetchError."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot find the host {host} ({exc})") from None
    addresses = sorted(found)
    if not policy.allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            ip = getattr(ip, "ipv4_mapped", None) or ip
            if not ip.is_global or ip.is_multicast:
                raise FetchError(f"{host} is a private, loopback or link-local address ({ip}); storybot only fetches "
                                 "public addresses (STORYBOT_ALLOW_PRIVATE_URLS=1 allows others)")
    return addresses


def _get(client: httpx.Client, url: str, policy: FetchPolicy, deadline: float) -> tuple[str, Fetched | None]:
    """One request: (next URL, None) for a redirect, else (url, the page)."""
    scheme, host, port = check_url(url)
    address = _addresses(host, port, policy)[0]
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    pinned = urlunsplit((scheme, f"{literal}:{port}", parts.path or "/", parts.query, ""))
    headers = {"Host": parts.netloc.rsplit("@", 1)[-1]}
    extensions = {"sni_hostname": host} if scheme == "https" else {}
    try:
        with client.stream("GET", pinned, headers=headers, extensions=extensions) as response:
            if response.is_redirect:
                location = response.headers.get("location", "")
                if not location:
                    raise FetchError(f"{url}: a redirect without a Location")
                return urljoin(url, location), None
            if response.status_code >= 400:
                raise FetchError(f"{url}: the site answered {response.status_code} {response.reason_phrase}")
            content_type, charset = _content_type(response.headers.get("content-type", ""))
            if content_type == "application/pdf":
                raise FetchError(f"{url} is a PDF, not an article page; save its text as a .txt file and add that")
            if content_type not in PAGE_TYPES + TEXT_TYPES:
                raise FetchError(f"{url} is {content_type or 'of no stated type'}, not a web page")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise FetchError(f"{url}: the page is larger than {policy.max_bytes:,} bytes")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > policy.max_bytes:
                    raise FetchError(f"{url}: the page is larger than {policy.max_bytes:,} bytes")
                if time.monotonic() > deadline:
                    raise FetchError(f"{url}: the page took longer than {policy.timeout:g} seconds")
            return url, Fetched(url=url, content_type=content_type, charset=charset, body=bytes(body))
    except httpx.TimeoutException:
        raise FetchError(f"{url}: no answer within {policy.timeout:g} seconds") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {exc or type(exc).__name__}") from None


def _content_type(header: str) -> tuple[str, str | None]:
    kind, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return kind.strip().lower(), charset
