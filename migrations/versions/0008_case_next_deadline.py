"""cases.next_due_on / next_due_label: the earliest deadline not yet met, for the caseload's sort

Revision ID: 0008_case_next_deadline
Revises: 0007_encrypt_totp
Create Date: 2026-12-01 18:00:00

Filled for existing cases from the same rules the application uses (app.clocks.service), a
thousand cases at a time, reading their meetings and open actions.
"""

import json

import sqlalchemy as sa
from alembic import op

from app.clocks import service as clocks

revision = "0008_case_next_deadline"
down_revision = "0007_encrypt_totp"
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade() -> None:
    op.add_column("cases", sa.Column("next_due_on", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("next_due_label", sa.String(200), nullable=False, server_default=""))
    op.create_index("ix_cases_next_due_on_id", "cases", ["next_due_on", "id"])
    bind = op.get_bind()
    raw = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'conclusion_target_months'")).scalar()
    value = json.loads(raw) if isinstance(raw, str) else raw
    target = int(value) if value else clocks.DEFAULT_CONCLUSION_TARGET_MONTHS
    last_id = 0
    while True:
        rows = bind.execute(
            sa.text(
                "SELECT id, received_on, decision, decided_on, concluded_on FROM cases "
                "WHERE id > :last ORDER BY id LIMIT :n"
            ),
            {"last": last_id, "n": BATCH},
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        ids = [r.id for r in rows]
        evaluations = dict(
            bind.execute(
                sa.text(
                    "SELECT case_id, MIN(held_on) FROM meetings WHERE meeting_type_code = 'evaluation' "
                    "AND case_id IN :ids GROUP BY case_id"
                ).bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": ids},
            ).all()
        )
        actions: dict[int, list[tuple[object, str]]] = {}
        for case_id, due_on, description in bind.execute(
            sa.text(
                "SELECT case_id, due_on, description FROM case_actions WHERE done_on IS NULL AND case_id IN :ids"
            ).bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": ids},
        ):
            actions.setdefault(case_id, []).append((due_on, description))
        for r in rows:
            due_on, label = clocks.next_deadline_of(
                r,
                evaluation_held_on=evaluations.get(r.id),
                open_actions=actions.get(r.id, []),
                target_months=target,
            )
            if due_on is not None:
                bind.execute(
                    sa.text("UPDATE cases SET next_due_on = :d, next_due_label = :l WHERE id = :id"),
                    {"d": due_on, "l": label, "id": r.id},
                )


def downgrade() -> None:
    op.drop_index("ix_cases_next_due_on_id", table_name="cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("next_due_label")
        batch.drop_column("next_due_on")
