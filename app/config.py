"""Settings: the one place that reads the environment."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LADO_", extra="ignore")

    #: SQLAlchemy URL. Unset: SQLite file under data_dir. Read from DATABASE_URL (no prefix).
    database_url: str | None = None
    data_dir: Path = ROOT / "data"
    #: "development" (cookies without Secure, /docs on) or "production".
    environment: str = "development"
    council_name: str = "Example Borough Council"
    service_name: str = "LADO case manager"
    session_idle_minutes: int = 30
    session_absolute_hours: int = 10
    #: LADO_REQUIRE_MFA: lado, manager and admin must enrol in TOTP two-factor before anything
    #: else. Only switch it off for local demos and tests that sign in with a password only.
    require_mfa: bool = True
    #: Cases per page in lists.
    page_size: int = 25

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def sqlalchemy_url(self) -> str:
        import os

        url = self.database_url or os.environ.get("DATABASE_URL")
        if url:
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url[len("postgresql://") :]
            return url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'lado.sqlite3'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
