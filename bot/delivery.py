"""Sends that survive a flaky network: retried with backoff while Telegram surely did not take them.

Flood control (429 with retry_after) is PTB's AIORateLimiter's job. This layer, under it, handles
the other ways a send can fail, and retries only those where the request cannot have been
carried out, so a reply is never sent twice:

  * the connection could not be opened (refused, unreachable, connect timeout) or no pooled
    connection came free: nothing was sent;
  * the request could not be written: Telegram never had a whole request to act on;
  * Telegram answered 5xx: its front end says the request was not processed.

A request that was written but whose answer was lost (read timeout, connection dropped while
waiting) is *not* retried: Telegram may well have delivered the message, and a second copy is
worse than a missing one the user can ask again. Failures are therefore at most once, never
doubled. getUpdates does not come through here: PTB's Updater re-polls by itself, and an update
is not confirmed before it has been received, so polling neither loses nor repeats updates.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
from telegram.error import NetworkError
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

# httpx errors raised before a whole request reached the server.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)
POOL_SIZE = 256  # what PTB uses for the bot's own (non-getUpdates) requests


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, for at most `deadline` seconds after the first failure."""

    deadline: float = 60.0
    first_delay: float = 0.5
    max_delay: float = 5.0

    def delays(self, clock=time.monotonic) -> Iterator[float]:
        """Seconds to wait before each retry; ends when the next wait would pass the deadline."""
        start, delay = clock(), self.first_delay
        while True:
            # Jitter spreads the retries of many replies that failed together (an outage).
            wait = delay * random.uniform(0.8, 1.2)
            if clock() - start + wait > self.deadline:
                return
            yield wait
            delay = min(delay * 2, self.max_delay)


def not_sent(error: NetworkError) -> bool:
    """Whether `error` proves the request never reached Telegram (see the module docstring)."""
    return isinstance(error.__cause__, NOT_SENT)


class RetryingRequest(HTTPXRequest):
    """PTB's HTTPX transport, retrying what surely did not reach Telegram (connection failures, 5xx)."""

    def __init__(self, policy: RetryPolicy, **kwargs) -> None:
        super().__init__(**{"connection_pool_size": POOL_SIZE, **kwargs})
        self.policy = policy

    async def do_request(self, url: str, method: str, request_data=None, **timeouts) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]  # never log the URL: it carries the token
        delays = self.policy.delays()
        attempts = 0
        while True:
            attempts += 1
            try:
                code, payload = await super().do_request(url, method, request_data, **timeouts)
            except NetworkError as exc:
                if not not_sent(exc):
                    raise
                failure, outcome = f"{type(exc.__cause__).__name__}", exc
            else:
                if code < 500:
                    return code, payload
                failure, outcome = f"HTTP {code}", (code, payload)
            delay = next(delays, None)
            if delay is None:
                log.warning("%s failed %d time(s) (last: %s); giving up", endpoint, attempts, failure)
                if isinstance(outcome, tuple):
                    return outcome  # PTB turns the 5xx into a NetworkError with Telegram's description
                raise outcome
            log.log(logging.INFO if attempts == 1 else logging.DEBUG, "%s failed (%s); retrying in %.1f s",
                    endpoint, failure, delay)
            await asyncio.sleep(delay)
