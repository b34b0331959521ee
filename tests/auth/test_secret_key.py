"""TOTP secrets are encrypted at rest with LADO_SECRET_KEY (Fernet): what the database holds is a
token no one can use without the key; keys rotate (the first encrypts, all decrypt, and
`lado rotate-secret-key` re-encrypts with the first); production refuses to start without one."""

from __future__ import annotations

import pyotp
import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr, ValidationError
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.config import Settings, get_settings
from app.encryption import DEVELOPMENT_KEY
from app.users.models import User
from tests.auth.support import enrol, post_sign_in


def stored_secret(db: Session, user: User) -> str:
    """The column as the database holds it (past the ORM's decryption)."""
    db.flush()
    return db.execute(text("SELECT totp_secret FROM users WHERE id = :id"), {"id": user.id}).scalar_one()


@pytest.fixture
def keys(monkeypatch):
    """Sets LADO_SECRET_KEY (as the comma-separated text an operator writes) for this test."""

    def use(*names: str) -> None:
        monkeypatch.setattr(get_settings(), "secret_key", SecretStr(",".join(names)))

    return use


class TestAtRest:
    def test_the_database_holds_a_token_not_the_secret(self, client, db, factory):
        user = factory.user("lado")
        post_sign_in(client, user.email)
        enrol(client, db, user)
        db.refresh(user)
        secret = user.totp_secret
        assert pyotp.TOTP(secret).now()  # the ORM reads the usable base32 secret
        stored = stored_secret(db, user)
        assert secret not in stored and stored.startswith("gAAAAA")
        # tests run with the development key
        assert Fernet(DEVELOPMENT_KEY).decrypt(stored.encode()).decode() == secret

    def test_the_first_key_encrypts_and_every_key_decrypts(self, db, factory, keys):
        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        keys(old)
        user = factory.user("lado")
        user.totp_secret = pyotp.random_base32()
        token = stored_secret(db, user)
        keys(new, old)
        db.expire(user)
        assert user.totp_secret and Fernet(old).decrypt(token.encode())  # still readable with old second
        user.totp_secret = pyotp.random_base32()
        token = stored_secret(db, user)
        assert Fernet(new).decrypt(token.encode())
        with pytest.raises(InvalidToken):
            Fernet(old).decrypt(token.encode())


@pytest.mark.committed
class TestRotateCommand:
    def test_re_encrypts_every_secret_with_the_first_key(self, committed_engine, keys):
        from app.cli import main
        from tests.factories import Factory

        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        keys(old)
        with Session(committed_engine) as session:
            users = [Factory(session).user("lado") for _ in range(3)]
            secrets = [pyotp.random_base32() for _ in users]
            for user, secret in zip(users, secrets, strict=True):
                user.totp_secret = secret
            ids = [u.id for u in users]
            session.commit()
        keys(new, old)
        result = CliRunner().invoke(main, ["rotate-secret-key"])
        assert result.exit_code == 0, result.output
        assert "Re-encrypted 3 two-factor secrets with the first key" in result.output
        with committed_engine.connect() as conn:
            query = text("SELECT id, totp_secret FROM users WHERE totp_secret IS NOT NULL")
            rows = dict(conn.execute(query).all())
        assert [Fernet(new).decrypt(rows[i].encode()).decode() for i in ids] == secrets
        keys(new)  # the old key can go now
        with Session(committed_engine) as session:
            assert [session.get(User, i).totp_secret for i in ids] == secrets


class TestSettings:
    def test_production_refuses_to_start_without_a_key(self, monkeypatch):
        monkeypatch.delenv("LADO_SECRET_KEY", raising=False)
        refused = "LADO_SECRET_KEY must be set when LADO_ENVIRONMENT=production"
        with pytest.raises(ValidationError, match=refused):
            Settings(environment="production")
        assert Settings(environment="production", secret_key=Fernet.generate_key().decode()).secret_keys

    def test_a_key_that_is_not_a_fernet_key_is_refused(self):
        good = Fernet.generate_key().decode()
        with pytest.raises(ValidationError, match="LADO_SECRET_KEY: key 2 is not a Fernet key"):
            Settings(secret_key=f"{good}, not-a-key")

    def test_development_without_a_key_uses_the_insecure_development_key(self, monkeypatch):
        monkeypatch.delenv("LADO_SECRET_KEY", raising=False)
        from app.encryption import configured_keys

        monkeypatch.setattr(get_settings(), "secret_key", None)
        assert configured_keys() == [DEVELOPMENT_KEY]
