"""A fake Telegram Bot API server for storybot's tests.

It speaks real HTTP on 127.0.0.1 (ephemeral port), so python-telegram-bot talks to it exactly
as it would to api.telegram.org::

    async with FakeBotAPI(token="123:abc") as api:
        app = Application.builder().token(api.token).base_url(api.base_url).build()
        ...
        api.push_message("/start")
        [call] = await api.wait_for("sendMessage")

For a bot started as a subprocess, run the server in a background thread instead::

    with FakeBotAPI(token="123:abc") as api:     # or api.start_in_thread() ... api.stop()
        ...
        api.wait_for_sync("sendMessage")

Modelled closely on the real Bot API:

* request bodies as PTB sends them: form-encoded, multipart or JSON, nested objects
  (reply_markup, entities, results, ...) as JSON strings;
* getUpdates with offset confirmation, limit, allowed_updates, long polling, and the
  409 Conflict a poller gets when a second one starts;
* HTML parse_mode following tdlib's parser (same error texts), length limits measured on the
  visible text in UTF-16 code units, callback_data <= 64 bytes, inline query result limits,
  "message is not modified", replies to unknown messages, answering a query twice;
* fault injection: HTTP errors, 429 flood control, refused connections, latency.

Deliberate deviations from Telegram:

* In text, a bare "&" that does not start a character reference is rejected (Telegram keeps it
  literally).  It is almost always unescaped user input, which breaks on the next "<".
* Markdown / MarkdownV2 texts are accepted unparsed; storybot uses HTML.
* Sending to a chat the fake has never seen succeeds: the chat is synthesised from its id.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiohttp import web

from storybot.testing.markup import (BotAPIError, CHAT_ACTIONS, MAX_CALLBACK_ANSWER_LENGTH, NOT_MODIFIED, QUERY_TOO_OLD, as_number, bad_request, check_commands, check_inline_results, check_reply_markup, detect_entities, format_text)

BOT_USERNAME = "storybot_test_bot"
DEFAULT_USER_ID = 1001
GROUP_CHAT_ID = -4_001_001
SUPERGROUP_CHAT_ID = -1_001_000_001_001
CHANNEL_CHAT_ID = -1_001_000_002_002

# --------------------------------------------------------------------------------------------
# Incoming messages
# --------------------------------------------------------------------------------------------

def _infer_chat_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def _without_reply(message: dict) -> dict:
    """A message as it appears in reply_to_message (Telegram does not nest replies further)."""
    quoted = copy.deepcopy(message)
    quoted.pop("reply_to_message", None)
    return quoted


def _update_type(update: dict) -> str:
    return next(key for key in update if key != "update_id")


# Who sends a user's message and where (_push_user_message's keywords); push_message takes any other
# keyword as a field of the Message itself.
_WHERE = ("chat_id", "chat_type", "user_id", "reply_to")
# Update types a poller only gets when it asks for them in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------

# Free-text parameters; everything else arrives as JSON text (numbers, booleans, nested objects).
_TEXT_FIELDS = frozenset(
    {
        "text",
        "caption",
        "query",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "title",
        "description",
        "short_description",
        "name",
        "next_offset",
        "language_code",
        "secret_token",
        "action",
        "emoji",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
    }
)
_PATH_RE = re.compile(r"/bot([^/]+)/([^/]+)")
_FILE_PATH_RE = re.compile(r"/file/bot([^/]+)/(.+)")
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # bots may download files up to 20 MB


def _reject_constant(name: str) -> Any:
    raise ValueError(name)  # keep "NaN" / "Infinity" as strings


def _decode_field(name: str, value: Any) -> Any:
    if not isinstance(value, str) or name in _TEXT_FIELDS:
        return value
    try:
        return json.loads(value, parse_constant=_reject_constant)
    except ValueError:
        return value  # e.g. chat_id="@channel", or malformed JSON that validation rejects


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Request parameters as Telegram reads them: query string plus JSON, form or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        raw.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                value = {"filename": value.filename, "content_type": value.content_type}
            raw[name] = value
    return {name: _decode_field(name, value) for name, value in raw.items()}


def _set_nodelay(request: web.Request) -> None:
    # asyncio's selector loop already does this for accepted sockets, other loops may not.
    # Without it, delayed ACKs stall every small request/response exchange by ~40 ms.
    sock = request.transport.get_extra_info("socket") if request.transport else None
    if sock is not None:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request the server answered."""

    method: str  # canonical spelling ("sendMessage") for known methods
    params: dict  # nested JSON decoded
    timestamp: float  # time.time() when the request arrived
    status: int  # HTTP status of the answer
    result: Any = None  # "result" of a successful call
    description: str | None = None  # error description of a failed call

    @property
    def ok(self) -> bool:
        return self.status == 200


# What a test waits for: a method name ("sendMessage") or a predicate on each call.
Wanted = str | Callable[[Call], bool]


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent or edited (sendMessage, editMessageText, editMessageReplyMarkup)."""

    method: str
    chat_id: int | None  # None for inline-message edits
    message_id: int | None
    inline_message_id: str | None
    text: str | None  # as the bot sent it (HTML source); None for editMessageReplyMarkup
    visible_text: str  # as the user sees it
    entities: list[dict]
    parse_mode: str | None
    reply_markup: dict | None
    reply_parameters: dict | None
    reply_to_message_id: int | None  # from reply_parameters or the legacy parameter
    link_preview_options: dict | None
    message_dict: dict | None  # the Message returned to the bot; None for inline-message edits
    timestamp: float


@dataclass
class _Fault:
    method: str | None  # None: every method
    status: int
    description: str
    parameters: dict | None
    remaining: int | None  # calls left to fail; None: unlimited
    until: float | None  # time.monotonic() deadline; None: no deadline

    def active(self, now: float) -> bool:
        return (self.remaining is None or self.remaining > 0) and (
            self.until is None or now < self.until
        )


def _resolve(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


class _Signal:
    """Wakes waiters, in any thread or event loop, whenever state guarded by `lock` changes."""

    def __init__(self, lock: threading.RLock):
        self._condition = threading.Condition(lock)
        self._futures: set[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = set()

    def notify(self) -> None:
        with self._condition:
            self._condition.notify_all()
            waiters = list(self._futures)
        for loop, future in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(_resolve, future)

    def wait_sync(self, check: Callable[[], Any], timeout: float) -> Any:
        """Block until check() (called under the lock) is truthy or timeout; return its value."""
        with self._condition:
            return self._condition.wait_for(check, timeout)

    async def wait(self, check: Callable[[], Any], timeout: float) -> Any:
        """Async wait_sync()."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            future = loop.create_future()
            with self._condition:
                result = check()
                remaining = deadline - loop.time()
                if result or remaining <= 0:
                    return result
                self._futures.add((loop, future))
            try:
                await asyncio.wait([future], timeout=remaining)
            finally:
                with self._condition:
                    self._futures.discard((loop, future))


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeBotAPI:
    """Fake Telegram Bot API server; see the module docstring.  Public methods are thread-safe;
    all but refuse_connections() may also be called before the server starts."""

    def __init__(
        self,
        token: str = "123:abc",
        *,
        bot_username: str = BOT_USERNAME,
        bot_first_name: str = "StoryBot",
    ):
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("token must look like '<bot id>:<secret>'")
        self.token = token
        self.bot_user = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._lock = threading.RLock()
        self._changed = _Signal(self._lock)

        self._calls: list[Call] = []
        self._failed_calls: list[Call] = []
        self._sent: list[SentMessage] = []

        self._updates: list[dict] = []  # pending, i.e. not yet confirmed by an offset
        self._last_update_id = 100_000
        self._allowed_updates: frozenset[str] = frozenset()  # empty: Telegram's default
        self._poll_generation = 0  # bumped by every getUpdates; detects competing pollers
        self._webhook_url = ""
        self._commands: dict[tuple[str, str], list] = {}
        self._users: dict[int, dict] = {}
        self._chats: dict[int, dict] = {}
        self._messages: dict[tuple[int, int], dict] = {}  # (chat id, message id) -> Message
        self._last_message_id: dict[int, int] = {}
        self._inline_messages: dict[str, dict] = {}  # inline_message_id -> text/markup
        self._open_queries: set[str] = set()  # callback / inline query ids not answered yet
        self._last_query_id = 4_200_000_000_000_000_000

        self._faults: list[_Fault] = []
        self._latency: dict[str | None, float] = {}
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)

        self._handlers: dict[str, Callable[[dict], Any]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "sendChatAction": self._send_chat_action,
            "answerCallbackQuery": self._answer_callback_query,
            "answerInlineQuery": self._answer_inline_query,
            "getFile": self._get_file,
            "close": self._tolerated,
            "logOut": self._tolerated,
        }
        # Telegram's method names are case-insensitive.
        self._canonical = {name.lower(): name for name in self._handlers}

        self._port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread_id: int | None = None
        self._runner: web.AppRunner | None = None
        self._server: asyncio.AbstractServer | None = None
        self._relisten_handle: asyncio.TimerHandle | None = None
        self._relisten_task: asyncio.Task | None = None
        self._closing = False
        self._thread: threading.Thread | None = None
        self._stop_requested: asyncio.Event | None = None

    # ---------------------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """For Application.builder().base_url() / Bot(base_url=...)."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """For Application.builder().base_file_url(): where getFile's file_path is downloaded."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    @property
    def listening(self) -> bool:
        """False while refuse_connections() is in effect."""
        return self._server is not None

    async def start(self) -> FakeBotAPI:
        """Start serving on the running event loop."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread_id = threading.get_ident()
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        # handler_cancellation: a long poll whose client has gone away stops waiting.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=2
        )
        await self._runner.setup()
        await self._listen()
        return self

    async def aclose(self) -> None:
        with self._lock:
            self._closing = True
        self._changed.notify()  # pending long polls return now instead of delaying shutdown
        if self._relisten_handle:
            self._relisten_handle.cancel()
        if self._relisten_task:
            await self._relisten_task
        if self._server:
            self._server.close()
            self._server = None
        await self._runner.cleanup()

    async def __aenter__(self) -> FakeBotAPI:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def start_in_thread(self) -> FakeBotAPI:
        """Serve from an event loop in a daemon thread (for bots run as subprocesses)."""
        ready: concurrent.futures.Future = concurrent.futures.Future()
        self._thread = threading.Thread(
            target=asyncio.run, args=(self._serve_in_thread(ready),), name="FakeBotAPI", daemon=True
        )
        self._thread.start()
        ready.result(timeout=10)  # re-raises a startup failure
        return self

    async def _serve_in_thread(self, ready: concurrent.futures.Future) -> None:
        try:
            await self.start()
        except Exception as exc:
            ready.set_exception(exc)
            return
        self._stop_requested = asyncio.Event()
        ready.set_result(None)
        await self._stop_requested.wait()
        await self.aclose()

    def stop(self) -> None:
        """Stop a server started with start_in_thread()."""
        self._loop.call_soon_threadsafe(self._stop_requested.set)
        self._thread.join(timeout=10)

    def __enter__(self) -> FakeBotAPI:
        return self.start_in_thread()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _listen(self) -> None:
        # Bind the socket ourselves so that listening again after refuse_connections() gets the
        # same port (socket.create_server sets SO_REUSEADDR, so TIME_WAIT does not block it).
        sock = socket.create_server(("127.0.0.1", self._port))
        self._port = sock.getsockname()[1]
        self._server = await self._loop.create_server(self._runner.server, sock=sock)

    def _in_loop(self, function: Callable[[], Any]) -> Any:
        """Run function() on the server's event loop thread and return its result."""
        if threading.get_ident() == self._loop_thread_id:
            return function()
        done: concurrent.futures.Future = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(function())
            except Exception as exc:
                done.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return done.result(timeout=10)

    # ------------------------------------------------------------------------ recorded calls

    @property
    def calls(self) -> list[Call]:
        """Successful calls, in the order they were answered."""
        with self._lock:
            return list(self._calls)

    @property
    def failed_calls(self) -> list[Call]:
        """Calls answered with an error (injected faults and validation errors alike)."""
        with self._lock:
            return list(self._failed_calls)

    def calls_for(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == self._canonical_name(method)]

    def sent_messages(self, chat_id: int | str | None = None) -> list[SentMessage]:
        """Successful sendMessage / editMessageText / editMessageReplyMarkup calls, in order."""
        with self._lock:
            sent = list(self._sent)
        if chat_id is None:
            return sent
        return [message for message in sent if message.chat_id == int(chat_id)]

    async def wait_for(self, what: Wanted, count: int = 1, timeout: float = 10.0, *, failed: bool = False) -> list[Call]:
        """Wait until at least `count` calls match `what` (a method name or a predicate on
        Call); return all matching calls.  Looks at failed calls instead if `failed`.
        Raises TimeoutError."""
        found = await self._changed.wait(lambda: self._matching(what, count, failed), timeout)
        return self._found(found, what, count, timeout, failed)

    def wait_for_sync(self, what: Wanted, count: int = 1, timeout: float = 10.0, *, failed: bool = False) -> list[Call]:
        """Blocking wait_for(), for the threaded mode."""
        if threading.get_ident() == self._loop_thread_id:
            raise RuntimeError("wait_for_sync() would block the server's loop; use wait_for()")
        found = self._changed.wait_sync(lambda: self._matching(what, count, failed), timeout)
        return self._found(found, what, count, timeout, failed)

    def _found(self, found: list[Call] | None, what: Wanted, count: int, timeout: float, failed: bool) -> list[Call]:
        if not found:
            raise TimeoutError(self._wait_failure(what, count, timeout, failed))
        return found

    def _canonical_name(self, method: str) -> str:
        return self._canonical.get(method.lower(), method)

    def _matching(self, what: Wanted, count: int, failed: bool) -> list[Call] | None:
        if isinstance(what, str):
            method = self._canonical_name(what)

            def matches(call: Call) -> bool:
                return call.method == method

        else:
            matches = what
        pool = self._failed_calls if failed else self._calls
        found = [call for call in pool if matches(call)]
        return found if len(found) >= count else None

    def _wait_failure(self, what: Wanted, count: int, timeout: float, failed: bool) -> str:
        kind = "failed calls" if failed else "calls"
        with self._lock:
            seen = [call.method for call in (self._failed_calls if failed else self._calls)]
        return f"no {count} {kind} matching {what!r} within {timeout}s; {kind} so far: {seen}"

    def _record(self, call: Call) -> None:
        with self._lock:
            (self._calls if call.ok else self._failed_calls).append(call)
        self._changed.notify()

    # --------------------------------------------------------------------------- faults

    def fail(
        self,
        method: str | None = None,
        status: int = 502,
        count: int | None = None,
        duration: float | None = None,
        description: str | None = None,
    ) -> None:
        """Answer `method` (every method if None) with HTTP `status`: for the next `count` calls,
        for `duration` seconds, or, if neither is given, until clear_faults().  The description
        defaults to the status phrase ("Bad Gateway"); pass e.g. status=403,
        description="Forbidden: bot was blocked by the user" for Telegram-level errors."""
        description = description or HTTPStatus(status).phrase
        self._add_fault(method, status, description, None, count, duration)

    def flood(self, method: str | None, retry_after: int = 2, count: int = 1) -> None:
        """Answer the next `count` calls of `method` (every method if None) with 429 Too Many
        Requests and parameters.retry_after, as Telegram's flood control does."""
        self._add_fault(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
            count,
            None,
        )

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Delay answers to `method` (every method if None; a per-method value wins) by
        `seconds`; 0 removes the delay."""
        key = self._canonical_name(method) if method else None
        with self._lock:
            if seconds:
                self._latency[key] = seconds
            else:
                self._latency.pop(key, None)

    def refuse_connections(self, duration: float) -> None:
        """Stop listening, so connecting fails with ECONNREFUSED, and drop open connections; listen
        again on the same port after `duration` seconds."""
        self._in_loop(lambda: self._go_offline(duration))

    def _add_fault(self, method, status, description, parameters, count, duration) -> None:
        fault = _Fault(
            method=self._canonical_name(method) if method else None,
            status=status,
            description=description,
            parameters=parameters,
            remaining=count,
            until=time.monotonic() + duration if duration is not None else None,
        )
        with self._lock:
            self._faults.append(fault)

    def _inject_fault(self, method: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._faults = [fault for fault in self._faults if fault.active(now)]
            fault = next((f for f in self._faults if f.method in (None, method)), None)
            if fault is None:
                return
            if fault.remaining is not None:
                fault.remaining -= 1
        raise BotAPIError(fault.status, fault.description, fault.parameters)

    def _go_offline(self, duration: float) -> None:
        if self._relisten_handle:
            self._relisten_handle.cancel()
        if self._server:
            self._server.close()
            self._server = None
        # Established keep-alive connections would otherwise go on working through the "outage".
        for connection in self._runner.server.connections:
            connection.force_close()
        self._relisten_handle = self._loop.call_later(duration, self._relisten)

    def _relisten(self) -> None:
        self._relisten_handle = None
        self._relisten_task = self._loop.create_task(self._listen())

    # ------------------------------------------------------------------------ HTTP handling

    async def _handle(self, request: web.Request) -> web.Response:
        _set_nodelay(request)
        received = time.time()
        download = _FILE_PATH_RE.fullmatch(request.path)
        if download is not None:
            return self._download(download[1], download[2])
        path = _PATH_RE.fullmatch(request.path)
        if path is None:
            return web.json_response(BotAPIError(404, "Not Found").body(), status=404)
        token, method = path[1], self._canonical_name(path[2])
        params: dict[str, Any] = {}
        try:
            params = await _read_params(request)
            with self._lock:
                latency = self._latency.get(method, self._latency.get(None, 0.0))
            if latency:
                await asyncio.sleep(latency)
            self._inject_fault(method)  # before the token check: a proxy error comes first
            if token != self.token:
                raise BotAPIError(401, "Unauthorized")
            handler = self._handlers.get(method)
            if handler is None:
                raise BotAPIError(404, "Not Found")
            result = await handler(params)
        except BotAPIError as error:
            failed = Call(method, params, received, error.status, description=error.description)
            self._record(failed)
            return web.json_response(error.body(), status=error.status)
        self._record(Call(method, params, received, 200, result=result))
        return web.json_response({"ok": True, "result": result})

    # ------------------------------------------------------------------------ Bot API methods

    async def _tolerated(self, params: dict) -> bool:
        return True

    async def _get_file(self, params: dict) -> dict:
        file_id = params.get("file_id")
        with self._lock:
            known = self._files.get(file_id) if isinstance(file_id, str) else None
        if known is None:
            raise bad_request("invalid file_id")
        path, content = known
        if len(content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {"file_id": file_id, "file_unique_id": file_id[-16:], "file_size": len(content), "file_path": path}

    def _download(self, token: str, file_path: str) -> web.Response:
        with self._lock:
            content = next((c for p, c in self._files.values() if p == file_path), None)
        if token != self.token or content is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=content, content_type="application/octet-stream")

    async def _get_me(self, params: dict) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = as_number(params.get("offset", 0), "offset")
        limit = min(max(as_number(params.get("limit", 100), "limit"), 1), 100)
        # Telegram takes whole seconds; fractions are accepted to keep tests fast.
        timeout = max(as_number(params.get("timeout", 0), "timeout", float), 0.0)
        with self._lock:
            if self._webhook_url:
                raise BotAPIError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            if isinstance(params.get("allowed_updates"), list):
                self._allowed_updates = frozenset(params["allowed_updates"])
            if offset > 0:  # confirms, i.e. forgets, every update before it
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            elif offset < 0:  # keep only the last -offset updates
                self._updates = self._updates[offset:]
            self._poll_generation += 1
            generation = self._poll_generation
        self._changed.notify()  # tells a poll already waiting that it has been superseded

        def ready() -> bool:
            return bool(
                self._closing
                or self._poll_generation != generation
                or self._deliverable(limit)
            )

        if timeout:
            await self._changed.wait(ready, timeout)
        with self._lock:
            if self._poll_generation != generation:
                raise BotAPIError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            return copy.deepcopy(self._deliverable(limit))

    def _deliverable(self, limit: int) -> list[dict]:
        def wanted(update: dict) -> bool:
            kind = _update_type(update)
            if self._allowed_updates:
                return kind in self._allowed_updates
            return kind not in _OPT_IN_UPDATES

        return [update for update in self._updates if wanted(update)][:limit]

    async def _set_webhook(self, params: dict) -> bool:
        with self._lock:
            self._webhook_url = str(params.get("url") or "")
            if params.get("drop_pending_updates"):
                self._updates.clear()
        return True

    async def _delete_webhook(self, params: dict) -> bool:
        return await self._set_webhook({"drop_pending_updates": params.get("drop_pending_updates")})

    async def _get_webhook_info(self, params: dict) -> dict:
        with self._lock:
            return {
                "url": self._webhook_url,
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }

    @staticmethod
    def _commands_key(params: dict) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: dict) -> bool:
        check_commands(params.get("commands"))
        with self._lock:
            self._commands[self._commands_key(params)] = params["commands"]
        return True

    async def _get_my_commands(self, params: dict) -> list:
        with self._lock:
            return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: dict) -> bool:
        with self._lock:
            self._commands.pop(self._commands_key(params), None)
        return True

    async def _send_message(self, params: dict) -> dict:
        with self._lock:
            chat = self._chat(params.get("chat_id"))
            text, entities = format_text(
                params.get("text"), params.get("parse_mode"), params.get("entities")
            )
            keyboard = check_reply_markup(params.get("reply_markup"))
            reply_to = self._reply_target(chat["id"], params)
            message: dict[str, Any] = {
                "message_id": self._last_message_id.get(chat["id"], 0) + 1,
                "from": dict(self.bot_user),
                "chat": dict(chat),
                "date": int(time.time()),
                "text": text,
            }
            if entities:
                message["entities"] = entities
            if keyboard:
                message["reply_markup"] = keyboard
            if reply_to:
                message["reply_to_message"] = _without_reply(reply_to)
            self._store(message)
            self._remember_sent("sendMessage", params, text, entities, message=message)
            return message

    async def _edit_message_text(self, params: dict) -> dict | bool:
        with self._lock:
            target = self._edit_target(params)
            text, entities = format_text(
                params.get("text"), params.get("parse_mode"), params.get("entities")
            )
            # Like Telegram: an edit without reply_markup removes the inline keyboard.
            keyboard = check_reply_markup(params.get("reply_markup"))
            if "inline_message_id" not in params and "text" not in target:
                raise bad_request("there is no text in the message to edit")
            if (target.get("text"), target.get("entities", []), target.get("reply_markup")) == (
                text,
                entities,
                keyboard,
            ):
                raise bad_request(NOT_MODIFIED)
            target["text"] = text
            self._set_or_drop(target, "entities", entities)
            self._set_or_drop(target, "reply_markup", keyboard)
            return self._finish_edit("editMessageText", params, target)

    async def _edit_message_reply_markup(self, params: dict) -> dict | bool:
        with self._lock:
            target = self._edit_target(params)
            keyboard = check_reply_markup(params.get("reply_markup"))
            if target.get("reply_markup") == keyboard:
                raise bad_request(NOT_MODIFIED)
            self._set_or_drop(target, "reply_markup", keyboard)
            return self._finish_edit("editMessageReplyMarkup", params, target)

    async def _delete_message(self, params: dict) -> bool:
        with self._lock:
            chat = self._chat(params.get("chat_id"))
            key = (chat["id"], as_number(params.get("message_id"), "message_id"))
            if self._messages.pop(key, None) is None:
                raise bad_request("message to delete not found")
        return True

    async def _send_chat_action(self, params: dict) -> bool:
        with self._lock:
            self._chat(params.get("chat_id"))
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _answer_callback_query(self, params: dict) -> bool:
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self._take_query(params.get("callback_query_id"))
        return True

    async def _answer_inline_query(self, params: dict) -> bool:
        check_inline_results(params.get("results"))
        self._take_query(params.get("inline_query_id"))
        return True

    def _take_query(self, query_id: Any) -> None:
        with self._lock:
            if query_id not in self._open_queries:
                raise bad_request(QUERY_TOO_OLD)
            self._open_queries.discard(query_id)

    # ---------------------------------------------------------------- Bot API state helpers
    # (called with self._lock held)

    def _chat(self, chat_id: Any) -> dict:
        """The chat the bot addresses with chat_id (an id or "@username")."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self._chats.values():
                if chat.get("username", "").lower() == chat_id[1:].lower():
                    return chat
            raise bad_request("chat not found")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise bad_request("chat not found")
        return self._chats.get(chat_id) or self._new_chat(chat_id, _infer_chat_type(chat_id))

    def _new_chat(self, chat_id: int, chat_type: str, title: str | None = None) -> dict:
        if chat_type == "private":
            user = self._user(chat_id)
            names = {k: user[k] for k in ("first_name", "last_name", "username") if k in user}
            return {"id": chat_id, "type": "private", **names}
        return {"id": chat_id, "type": chat_type, "title": title or f"Test {chat_type} {chat_id}"}

    def _user(self, user_id: int) -> dict:
        default = {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "username": f"user{user_id}",
            "language_code": "en",
        }
        return {**default, **self._users.get(user_id, {})}

    def _store(self, message: dict) -> None:
        chat_id = message["chat"]["id"]
        self._messages[(chat_id, message["message_id"])] = copy.deepcopy(message)
        self._chats[chat_id] = copy.deepcopy(message["chat"])
        self._last_message_id[chat_id] = max(
            self._last_message_id.get(chat_id, 0), message["message_id"]
        )

    def _reply_target(self, chat_id: int, params: dict) -> dict | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = reply.get("message_id")
            if reply.get("chat_id") is not None:
                chat_id = self._chat(reply["chat_id"])["id"]
            allow_missing = reply.get("allow_sending_without_reply")
        elif params.get("reply_to_message_id") is not None:
            message_id = params["reply_to_message_id"]
            allow_missing = params.get("allow_sending_without_reply")
        else:
            return None
        target = self._messages.get((chat_id, as_number(message_id, "message_id")))
        if target is None and not allow_missing:
            raise bad_request("message to be replied not found")
        return target

    def _edit_target(self, params: dict) -> dict:
        """The stored message (or inline message state) an edit applies to; edited in place."""
        inline_message_id = params.get("inline_message_id")
        if inline_message_id:
            if inline_message_id not in self._inline_messages:
                raise bad_request("MESSAGE_ID_INVALID")
            return self._inline_messages[inline_message_id]
        chat = self._chat(params.get("chat_id"))
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        message = self._messages.get((chat["id"], as_number(params["message_id"], "message_id")))
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        return message

    @staticmethod
    def _set_or_drop(target: dict, key: str, value: Any) -> None:
        if value:
            target[key] = value
        else:
            target.pop(key, None)

    def _finish_edit(self, method: str, params: dict, target: dict) -> dict | bool:
        text, entities = target.get("text", ""), target.get("entities", [])
        inline_message_id = params.get("inline_message_id")
        if inline_message_id:
            self._remember_sent(method, params, text, entities, inline_message_id=inline_message_id)
            return True  # Telegram answers True for inline messages
        target["edit_date"] = int(time.time())
        self._remember_sent(method, params, text, entities, message=target)
        return copy.deepcopy(target)

    def _remember_sent(
        self,
        method: str,
        params: dict,
        visible_text: str,
        entities: list[dict],
        *,
        message: dict | None = None,
        inline_message_id: str | None = None,
    ) -> None:
        reply = params.get("reply_parameters")
        reply = reply if isinstance(reply, dict) else None
        self._sent.append(
            SentMessage(
                method=method,
                chat_id=message["chat"]["id"] if message else None,
                message_id=message["message_id"] if message else None,
                inline_message_id=inline_message_id,
                text=params.get("text"),
                visible_text=visible_text,
                entities=copy.deepcopy(entities),
                parse_mode=params.get("parse_mode"),
                reply_markup=params.get("reply_markup"),
                reply_parameters=reply,
                reply_to_message_id=(reply or {}).get(
                    "message_id", params.get("reply_to_message_id")
                ),
                link_preview_options=params.get("link_preview_options"),
                message_dict=copy.deepcopy(message),
                timestamp=time.time(),
            )
        )

    # ---------------------------------------------------------------------- pushing updates

    def set_user(self, user_id: int, **fields: Any) -> None:
        """Override fields (first_name, last_name, username, language_code, is_premium, ...) of
        the User objects built for `user_id`."""
        with self._lock:
            self._users.setdefault(user_id, {}).update(fields)

    def push_update(self, update: dict) -> dict:
        """Queue a raw update and return it.  update_id is always (re)assigned so that ids
        increase monotonically.  Messages in it become known, so the bot may reply to or edit
        them, and callback/inline query ids become answerable."""
        update = copy.deepcopy(update)
        with self._lock:
            self._last_update_id += 1
            update["update_id"] = self._last_update_id
            for key in ("message", "edited_message", "channel_post", "edited_channel_post"):
                if key in update:
                    self._store(update[key])
            if "callback_query" in update:
                query = update["callback_query"]
                self._open_queries.add(query["id"])
                message = query.get("message")
                if message and (message["chat"]["id"], message["message_id"]) not in self._messages:
                    self._store(message)
                if "inline_message_id" in query:
                    self._inline_messages.setdefault(query["inline_message_id"], {})
            if "inline_query" in update:
                self._open_queries.add(update["inline_query"]["id"])
            inline_message_id = update.get("chosen_inline_result", {}).get("inline_message_id")
            if inline_message_id:
                self._inline_messages.setdefault(inline_message_id, {})
            self._updates.append(update)
            self._changed.notify()
        return copy.deepcopy(update)

    def push_message(self, text: str, *, entities: list[dict] | None = None, **fields: Any) -> dict:
        """Queue a user's text message.  `entities` default to what Telegram detects itself
        (bot commands such as "/ask@storybot_test_bot", @mentions, URLs).  Who sends it and where
        (chat_id, chat_type, user_id, reply_to) as for push_sticker: `chat_type` ("private",
        "group", "supergroup") picks a default chat_id; without either the message is a private one
        from `user_id`.  `reply_to` is a Message dict, e.g. api.sent_messages()[-1].message_dict.
        Other `fields` go into the Message."""
        where = {key: fields.pop(key) for key in _WHERE if key in fields}
        entities = detect_entities(text) if entities is None else entities
        content = {"text": text, **({"entities": entities} if entities else {})}
        return self._push_user_message({**content, **fields}, **where)

    def push_edited_message(self, message: dict, text: str) -> dict:
        """Queue an edited_message update changing `message` (a Message dict) to `text`."""
        edited = {**copy.deepcopy(message), "text": text, "edit_date": int(time.time())}
        self._set_or_drop(edited, "entities", detect_entities(text))
        return self.push_update({"edited_message": edited})

    def push_sticker(self, emoji: str = "👍", **where: Any) -> dict:
        """Queue a sticker message; `where`: chat_id, chat_type, user_id, reply_to."""
        sticker = {
            **self._file("sticker"),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._push_user_message({"sticker": sticker}, **where)

    def push_photo(self, caption: str | None = None, **where: Any) -> dict:
        """Queue a photo message (three sizes, optional caption); `where` as for push_sticker."""
        photo = [
            {**self._file("photo"), "width": side, "height": side, "file_size": side * 40}
            for side in (90, 320, 1280)
        ]
        content: dict[str, Any] = {"photo": photo}
        if caption is not None:
            content["caption"] = caption
            caption_entities = detect_entities(caption)
            if caption_entities:
                content["caption_entities"] = caption_entities
        return self._push_user_message(content, **where)

    def push_document(self, content: bytes, file_name: str, mime_type: str = "text/html",
                      caption: str | None = None, **where: Any) -> dict:
        """Queue a document message whose file (getFile, then a download) holds `content`;
        `where` as for push_sticker."""
        document = {**self._file("document"), "file_name": file_name, "mime_type": mime_type,
                    "file_size": len(content)}
        with self._lock:
            self._files[document["file_id"]] = (f"documents/file_{len(self._files)}_{file_name}", content)
        extra: dict[str, Any] = {"caption": caption} if caption is not None else {}
        return self._push_user_message({"document": document, **extra}, **where)

    def push_forwarded_channel_post(self, text: str, *, channel_id: int = CHANNEL_CHAT_ID,
                                    title: str = "Test channel", username: str | None = "test_channel",
                                    post_id: int = 7, date: int | None = None, **where: Any) -> dict:
        """Queue a user's message forwarding post `post_id` of a channel; `where` as for push_sticker."""
        channel = {"id": channel_id, "type": "channel", "title": title, **({"username": username} if username else {})}
        origin = {"type": "channel", "chat": channel, "message_id": post_id, "date": date or int(time.time()) - 60}
        content: dict[str, Any] = {"text": text, "forward_origin": origin}
        self._set_or_drop(content, "entities", detect_entities(text))
        return self._push_user_message(content, **where)

    def push_voice(self, duration: int = 3, **where: Any) -> dict:
        """Queue a voice message; `where` as for push_sticker."""
        voice = {
            **self._file("voice"),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": duration * 4000,
        }
        return self._push_user_message({"voice": voice}, **where)

    def push_location(
        self, latitude: float = 52.52, longitude: float = 13.405, **where: Any
    ) -> dict:
        """Queue a location message; `where` as for push_sticker."""
        location = {"latitude": latitude, "longitude": longitude}
        return self._push_user_message({"location": location}, **where)

    def push_callback_query(
        self,
        data: str,
        message: dict | None = None,
        *,
        user_id: int = DEFAULT_USER_ID,
        inline_message_id: str | None = None,
    ) -> dict:
        """Queue a button press on `message` (the bot's Message dict, e.g.
        api.sent_messages()[-1].message_dict) or on an inline message."""
        if (message is None) == (inline_message_id is None):
            raise ValueError("pass exactly one of message and inline_message_id")
        anchor = message["chat"]["id"] if message else user_id
        query: dict[str, Any] = {
            "id": self._new_query_id(),
            "from": self._locked_user(user_id),
            "chat_instance": str(abs(anchor) * 1_000_003),
            "data": data,
        }
        if message is not None:
            query["message"] = copy.deepcopy(message)
        else:
            query["inline_message_id"] = inline_message_id
        return self.push_update({"callback_query": query})

    def push_inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str = "private",
    ) -> dict:
        """Queue an inline query ("@storybot_test_bot <query>" typed in a chat of `chat_type`)."""
        inline_query = {
            "id": self._new_query_id(),
            "from": self._locked_user(user_id),
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        return self.push_update({"inline_query": inline_query})

    def push_chosen_inline_result(
        self,
        result_id: str,
        *,
        query: str = "",
        user_id: int = DEFAULT_USER_ID,
        inline_message_id: str | None = None,
    ) -> dict:
        """Queue a chosen_inline_result.  Pass inline_message_id (Telegram sets it when the
        result had an inline keyboard) to let the bot edit that message."""
        chosen: dict[str, Any] = {
            "result_id": result_id,
            "from": self._locked_user(user_id),
            "query": query,
        }
        if inline_message_id is not None:
            chosen["inline_message_id"] = inline_message_id
        return self.push_update({"chosen_inline_result": chosen})

    def push_my_chat_member(
        self,
        *,
        new_status: str = "member",
        old_status: str | None = None,
        chat_id: int | None = None,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
    ) -> dict:
        """Queue a change of the bot's own membership, made by `user_id`.  Statuses: "member",
        "administrator", "left", "kicked".  Added to a group: the defaults; removed:
        new_status="left"; blocked by a user: chat_type="private", new_status="kicked".
        Without chat_id and chat_type the chat is the default group."""
        if chat_id is None and chat_type is None:
            chat_type = "group"
        if old_status is None:
            old_status = "left" if new_status in ("member", "administrator") else "member"
        with self._lock:
            user = self._user(user_id)
            chat = self._push_chat(chat_id, chat_type, user)
            update = {
                "my_chat_member": {
                    "chat": chat,
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": self._bot_member(old_status),
                    "new_chat_member": self._bot_member(new_status),
                }
            }
            return self.push_update(update)

    def push_channel_post(
        self, text: str, *, chat_id: int = CHANNEL_CHAT_ID, title: str = "Test channel"
    ) -> dict:
        """Queue a post in a channel the bot administers."""
        with self._lock:
            chat = self._chats.get(chat_id) or self._new_chat(chat_id, "channel", title)
            post: dict[str, Any] = {
                "message_id": self._last_message_id.get(chat_id, 0) + 1,
                "sender_chat": chat,
                "chat": chat,
                "date": int(time.time()),
                "text": text,
            }
            self._set_or_drop(post, "entities", detect_entities(text))
            return self.push_update({"channel_post": post})

    def _push_user_message(
        self,
        content: dict,
        *,
        chat_id: int | None = None,
        chat_type: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        reply_to: dict | None = None,
    ) -> dict:
        with self._lock:
            user = self._user(user_id)
            chat = self._push_chat(chat_id, chat_type, user)
            message = {
                "message_id": self._last_message_id.get(chat["id"], 0) + 1,
                "from": user,
                "chat": chat,
                "date": int(time.time()),
                **content,
            }
            if reply_to is not None:
                message["reply_to_message"] = _without_reply(reply_to)
            return self.push_update({"message": message})

    def _push_chat(self, chat_id: int | None, chat_type: str | None, user: dict) -> dict:
        if chat_id is None:
            chat_id = {
                None: user["id"],
                "private": user["id"],
                "group": GROUP_CHAT_ID,
                "supergroup": SUPERGROUP_CHAT_ID,
            }[chat_type]
        known = self._chats.get(chat_id)
        if known and chat_type in (None, known["type"]):
            return copy.deepcopy(known)
        return self._new_chat(chat_id, chat_type or _infer_chat_type(chat_id))

    def _locked_user(self, user_id: int) -> dict:
        with self._lock:
            return self._user(user_id)

    def _new_query_id(self) -> str:
        with self._lock:
            self._last_query_id += 1
            return str(self._last_query_id)

    @staticmethod
    def _file(kind: str) -> dict:
        unique = uuid.uuid4().hex
        return {"file_id": f"fake-{kind}-{unique}", "file_unique_id": unique[:16]}

    def _bot_member(self, status: str) -> dict:
        member: dict[str, Any] = {"user": dict(self.bot_user), "status": status}
        if status == "administrator":  # PTB requires every one of these fields
            granted = (
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_change_info",
                "can_invite_users",
                "can_pin_messages",
            )
            withheld = (
                "can_be_edited",
                "is_anonymous",
                "can_promote_members",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
            )
            member.update(dict.fromkeys(granted, True))
            member.update(dict.fromkeys(withheld, False))
        elif status == "kicked":
            member["until_date"] = 0
        elif status not in ("member", "left"):
            raise ValueError(f"unsupported chat member status {status!r}")
        return member


def main(argv: list[str] | None = None) -> None:
    """Serve a local Bot API for manual trials: print how to point storybot at it, then turn each
    line typed on stdin into a private message from a user and print what the bot sends back."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m storybot.testing.botapi", description=main.__doc__)
    parser.add_argument("--token", default="123456:local-trial", help="the bot token the fake accepts")
    parser.add_argument("--user", type=int, default=DEFAULT_USER_ID, help="user id of the messages you type")
    args = parser.parse_args(argv)
    with FakeBotAPI(token=args.token) as api:
        print(f"local Bot API on {api.base_url}; run the bot against it with:\n"
              f"  TELEGRAM_BOT_TOKEN={api.token} TELEGRAM_BASE_URL={api.base_url} storybot run\n"
              "then type a message (Ctrl-D to stop):", flush=True)
        seen = 0
        for line in sys.stdin:
            if not line.strip():
                continue
            api.push_message(line.strip(), user_id=args.user)
            deadline = time.monotonic() + 60
            while len(api.sent_messages()) <= seen and time.monotonic() < deadline:
                time.sleep(0.05)
            if len(api.sent_messages()) <= seen:
                print("(no reply within 60 s: is the bot running against this URL?)", flush=True)
                continue
            time.sleep(0.3)  # a reply can come in several messages
            for message in api.sent_messages()[seen:]:
                print(f"bot → {message.chat_id}: {message.visible_text}\n", flush=True)
            seen = len(api.sent_messages())


if __name__ == "__main__":
    main()
