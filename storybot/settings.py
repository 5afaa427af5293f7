"""The one place settings are loaded: environment (STORYBOT_*, TELEGRAM_*), then command-line flags."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storybot.index.embedding.embedder import DEFAULT_MODEL
from storybot.index.errors import StorybotError
from storybot.index.ingest.fetch import FetchPolicy


class Settings(BaseSettings):
    """storybot's configuration; every field can be set as STORYBOT_<FIELD> (Telegram ones also by their usual names)."""

    model_config = SettingsConfigDict(env_prefix="STORYBOT_", extra="ignore", populate_by_name=True)

    sources: Path = Field(Path("sources"), description="directory of story files")
    data_dir: Path = Field(Path("data"), description="where generated files live (index, bot state)")
    index: Path | None = Field(None, description="index directory (default: <data_dir>/index)")
    model: str = Field(DEFAULT_MODEL, description="sentence-transformers model name or directory")
    embedder: Literal["auto", "onnx", "onnx-int8", "torch"] = Field(
        "auto", description="how the model runs: auto (ONNX, exported once on first use; torch when that fails), "
                            "onnx, onnx-int8 (quantised: faster, vectors ~0.99 cosine to fp32), torch")
    bf16_builds: bool = Field(
        True, description="with embedder=auto, build indexes in bfloat16 through OpenVINO where the CPU has bf16 "
                          "instructions and the bf16 extra is installed (0: always fp32)")
    index_private: bool = Field(
        False, description="index builds readable by this user only (0700 directories, 0600 files) instead of by "
                            "everyone (0755 / 0644, less what the umask removes), as replicas running as other users need")
    reader: str = Field(
        "auto", description="the model that reads question and passage together: auto (the one the shipped "
                            "weights were fitted for: storybot-answer-l12), none, storybot-answer-l12, "
                            "ms-marco-l12, or a model directory")
    top_k: int = Field(3, ge=1, le=20, description="passages per answer")

    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "STORYBOT_TELEGRAM_BOT_TOKEN"))
    telegram_base_url: str = Field(
        "https://api.telegram.org/bot", validation_alias=AliasChoices("TELEGRAM_BASE_URL", "STORYBOT_TELEGRAM_BASE_URL"))
    telegram_allowed_chats: Annotated[list[int], NoDecode] = Field(
        [], validation_alias=AliasChoices("TELEGRAM_ALLOWED_CHATS", "STORYBOT_TELEGRAM_ALLOWED_CHATS"),
        description="chat/user ids the bot serves, comma-separated (empty: everyone)")
    webhook_url: str | None = Field(None, description="public HTTPS URL for webhook mode (unset: long polling)")
    webhook_listen: str = Field("127.0.0.1", description="address the webhook server binds to")
    webhook_port: int = Field(8443, ge=1, le=65535, description="port the webhook server listens on")
    webhook_secret: SecretStr | None = Field(
        None, description="secret Telegram sends with every webhook request (default: random per start)")
    concurrent_updates: int = Field(64, ge=1, le=1024, description="updates the bot handles at the same time")
    example_questions: Annotated[list[str], NoDecode] = Field(
        [], description="example questions for /start, separated by '|' (default: derived from the stories)")
    user_rate_limit: int = Field(
        20, ge=0, description="questions, button presses and inline queries one user may send per minute (0: no limit)")
    send_retry_seconds: float = Field(
        60.0, ge=0, description="how long a reply that did not reach Telegram (connection failed, 5xx) is retried (0: never)")
    index_reload_seconds: float = Field(
        2.0, ge=0, description="how often the running bot looks for a new index build to switch to (0: never)")
    database_url: SecretStr | None = Field(
        None, description="where chats' choices, follows and declined questions are kept: a postgresql:// URL "
                          "shared by every replica (needs the postgres extra), or sqlite:///file.db "
                          "(default: <data_dir>/storybot.db)")
    editors: Annotated[list[int], NoDecode] = Field(
        [], description="Telegram user or chat ids that may add stories and see /gaps, comma-separated")
    record_questions: bool = Field(
        True, description="keep the questions storybot declined, without user or chat ids, for `storybot gaps`")
    question_retention_days: int = Field(90, ge=1, description="declined questions older than this are deleted")
    allow_private_urls: bool = Field(
        False, description="let `add` fetch private, loopback and link-local addresses (for tests and intranets)")
    fetch_max_bytes: int = Field(5_000_000, ge=1024, description="largest page `add` downloads")
    fetch_timeout_seconds: float = Field(20.0, gt=0, description="longest `add` waits for a page, redirects included")
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR; secrets are redacted at every level")

    @field_validator("telegram_allowed_chats", "editors", mode="before")
    @classmethod
    def _chat_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise ValueError("must be chat ids (integers) separated by commas") from None
        return value

    @field_validator("example_questions", mode="before")
    @classmethod
    def _questions(cls, value: object) -> object:
        if isinstance(value, str):
            return [q.strip() for q in value.split("|") if q.strip()]
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        # Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - for a webhook secret token.
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value.upper()

    @field_validator("webhook_url")
    @classmethod
    def _full_url(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be a full URL such as https://bot.example.org/telegram")
        return value or None

    @model_validator(mode="after")
    def _default_index(self) -> "Settings":
        if self.index is None:
            self.index = self.data_dir / "index"
        return self

    @property
    def index_dir(self) -> Path:
        assert self.index is not None
        return self.index

    @property
    def fetch_policy(self) -> FetchPolicy:
        """How `add` may fetch pages."""
        return FetchPolicy(allow_private=self.allow_private_urls, max_bytes=self.fetch_max_bytes,
                           timeout=self.fetch_timeout_seconds)

    @property
    def model_cache(self) -> Path:
        """Where the embedding model's ONNX export is cached (made once, on first use)."""
        return self.data_dir / "models"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment with command-line overrides (None means "not given")."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise StorybotError(f"bad setting {where}: {first['msg']}") from None
