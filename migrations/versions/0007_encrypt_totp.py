"""encrypt TOTP secrets at rest with LADO_SECRET_KEY (Fernet); the column becomes text

Revision ID: 0007_encrypt_totp
Revises: 0006_person_keys
Create Date: 2026-11-27 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_encrypt_totp"
down_revision = "0006_person_keys"
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("totp_secret", sa.Text))


def _retype(new_type: sa.types.TypeEngine, old_type: sa.types.TypeEngine) -> None:
    """Change the column's type. SQLite cannot alter a type in place, and rebuilding `users` (what
    batch mode does) would drop the table, which with foreign keys on cascades to its sessions,
    tokens and recovery codes: so on SQLite a new column replaces it (native ADD, DROP, RENAME)."""
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "users", "totp_secret", type_=new_type, existing_type=old_type, existing_nullable=True
        )
        return
    column_type = new_type.compile(op.get_bind().dialect)
    op.execute(sa.text(f"ALTER TABLE users ADD COLUMN totp_secret_new {column_type}"))
    op.execute(sa.text("UPDATE users SET totp_secret_new = totp_secret"))
    op.execute(sa.text("ALTER TABLE users DROP COLUMN totp_secret"))
    op.execute(sa.text("ALTER TABLE users RENAME COLUMN totp_secret_new TO totp_secret"))


def _convert(change) -> None:
    conn = op.get_bind()
    stored = sa.select(USERS.c.id, USERS.c.totp_secret).where(USERS.c.totp_secret.is_not(None))
    rows = conn.execute(stored).all()
    updates = [{"uid": r.id, "secret": new} for r in rows if (new := change(r.totp_secret)) != r.totp_secret]
    if updates:
        conn.execute(
            USERS.update()
            .where(USERS.c.id == sa.bindparam("uid"))
            .values(totp_secret=sa.bindparam("secret")),
            updates,
        )


def upgrade() -> None:
    from app import encryption

    _retype(sa.Text(), sa.String(length=64))
    _convert(lambda s: s if encryption.is_encrypted(s) else encryption.encrypt(s))


def downgrade() -> None:
    from app import encryption

    _convert(lambda s: encryption.decrypt(s) if encryption.is_encrypted(s) else s)
    _retype(sa.String(length=64), sa.Text())
