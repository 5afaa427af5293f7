"""The one place settings are loaded: environment (STORYBOT_*, TELEGRAM_*), then command-line flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.embedder import DEFAULT_MODEL
from index.errors import StorybotError


class Settings(BaseSettings):
    """storybot's configuration; every field can be set as STORYBOT_<FIELD> (Telegram ones also by their usual names)."""

    model_config = SettingsConfigDict(env_prefix="STORYBOT_", extra="ignore", populate_by_name=True)

    sources: Path = Field(Path("sources"), description="directory of story files")
    data_dir: Path = Field(Path("data"), description="where generated files live (index, bot state)")
    index: Path | None = Field(None, description="index directory (default: <data_dir>/index)")
    model: str = Field(DEFAULT_MODEL, description="sentence-transformers model name or directory")
    top_k: int = Field(3, ge=1, le=20, description="passages per answer")

    telegram_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "STORYBOT_TELEGRAM_BOT_TOKEN"))
    telegram_base_url: str = Field(
        "https://api.telegram.org/bot", validation_alias=AliasChoices("TELEGRAM_BASE_URL", "STORYBOT_TELEGRAM_BASE_URL"))

    @model_validator(mode="after")
    def _default_index(self) -> "Settings":
        if self.index is None:
            self.index = self.data_dir / "index"
        return self

    @property
    def index_dir(self) -> Path:
        assert self.index is not None
        return self.index


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment with command-line overrides (None means "not given")."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise StorybotError(f"bad setting {where}: {first['msg']}") from None
