"""Settings: the one place that reads the environment."""

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    #: LADO_REQUIRE_MFA: every role (lado, manager, hr_liaison, admin) must enrol in TOTP
    #: two-factor before anything else. Only switch it off for local demos and tests that sign
    #: in with a password only.
    require_mfa: bool = True
    #: Tests only: cheap argon2 parameters so the suite does not spend minutes hashing. Never in production.
    insecure_fast_password_hashing: bool = False
    #: Cases per page in lists.
    page_size: int = 25
    #: Where people reach this service: links in e-mails (e.g. to the HR portal) start with it.
    public_base_url: str = "http://127.0.0.1:8000"
    #: Outgoing mail (the outbox worker): LADO_SMTP_HOST, _PORT, _STARTTLS, _USERNAME, _PASSWORD.
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 30
    mail_from: str = "lado@example.invalid"
    #: A message is given up (status failed) after this many attempts; the wait between attempts
    #: doubles from outbox_retry_seconds, up to outbox_retry_max_seconds.
    outbox_max_attempts: int = 8
    outbox_retry_seconds: int = 60
    outbox_retry_max_seconds: int = 6 * 3600
    #: A claimed message is another worker's for this long; if its worker dies mid-send, it is
    #: tried again afterwards (at-least-once delivery, same Message-ID).
    outbox_lease_seconds: int = 300
    #: How often `lado worker` looks for due messages.
    worker_poll_seconds: float = 10
    #: Nothing waits forever on the database. SQLite: how long a writer queues for the write lock.
    #: PostgreSQL: lock_timeout, statement_timeout and idle_in_transaction_session_timeout of every
    #: connection the app opens (0 turns one off). A timeout is answered 409 or 503, never a hang.
    db_lock_timeout_seconds: float = 5
    db_statement_timeout_seconds: float = 30
    db_idle_in_transaction_timeout_seconds: float = 60
    #: PostgreSQL connection pool per app process (the thread pool serves 40 requests at once).
    db_pool_size: int = 10
    db_max_overflow: int = 20
    db_pool_timeout_seconds: float = 10
    #: The annual statistics (page, API, downloads, drill-downs) computed at once by one process
    #: and by all the processes of one data folder (`lado serve --workers`);
    #: up to statistics_queue more wait their turn, each for at most statistics_wait_seconds,
    #: and any beyond are answered 503 with Retry-After (app/reports/limits.py).
    statistics_at_once: int = 1
    statistics_queue: int = 8
    statistics_wait_seconds: float = 10
    #: LADO_TRUSTED_PROXIES: addresses or networks (CIDR) of the reverse proxies in front of the
    #: app, comma-separated. Only a request from one of them may say who the client is
    #: (X-Forwarded-For, X-Forwarded-Proto); any other request's address is its socket's peer.
    #: Empty (the default): no proxy is trusted.
    trusted_proxies: Annotated[list[str], NoDecode] = []
    #: LADO_SECRET_KEY: Fernet keys, comma-separated, for secrets stored encrypted (TOTP secrets,
    #: app/encryption.py); the first encrypts, all decrypt. Required in production.
    secret_key: SecretStr | None = None
    #: LADO_DOCUMENTS_DIR: where the files attached to cases are kept (app/documents/storage.py),
    #: one file per distinct content, named by its SHA-256. Unset: `documents` under data_dir.
    documents_dir: Path | None = None
    #: LADO_MAX_UPLOAD_MB: the largest file that can be attached, in megabytes (1 MB = 1024 KiB).
    max_upload_mb: int = 25
    #: LADO_CLAMAV_SOCKET: clamd's Unix socket. Set, every upload is scanned before it is stored,
    #: and refused when clamd cannot be reached; unset, nothing is scanned.
    clamav_socket: Path | None = None
    clamav_timeout_seconds: float = 60

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _proxies(cls, value):
        items = value.split(",") if isinstance(value, str) else list(value or [])
        proxies = []
        for item in (str(i).strip() for i in items):
            if not item:
                continue
            try:
                proxies.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise ValueError(
                    f'LADO_TRUSTED_PROXIES: "{item}" is not an IP address or network (such as '
                    "10.0.0.5 or 10.0.0.0/24)"
                ) from None
        return proxies

    @model_validator(mode="after")
    def _secret_key(self):
        if self.is_production and not self.secret_keys:
            raise ValueError(
                "LADO_SECRET_KEY must be set when LADO_ENVIRONMENT=production (the key that "
                'encrypts two-factor secrets). Make one with: python -c "from '
                'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
            )
        from cryptography.fernet import Fernet

        for n, key in enumerate(self.secret_keys, 1):
            try:
                Fernet(key)
            except ValueError:
                raise ValueError(
                    f"LADO_SECRET_KEY: key {n} is not a Fernet key (32 bytes in URL-safe "
                    "base64, 44 characters)"
                ) from None
        return self

    @property
    def secret_keys(self) -> list[str]:
        raw = self.secret_key.get_secret_value() if self.secret_key else ""
        return [k.strip() for k in raw.split(",") if k.strip()]

    @property
    def documents_path(self) -> Path:
        return self.documents_dir or self.data_dir / "documents"

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

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
