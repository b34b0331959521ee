"""Every query of the intake queue and of its per-IP attempt log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.intake.models import Intake, IntakeAttempt


def attempts_since(session: Session, ip: str, since: datetime) -> tuple[int, int]:
    """(attempts, accepted) from `ip` since `since`."""
    row = session.execute(
        select(func.count(), func.count().filter(IntakeAttempt.accepted.is_(True))).where(
            IntakeAttempt.ip == ip, IntakeAttempt.attempted_at >= since
        )
    ).one()
    return row[0], row[1]


def prune_attempts(session: Session, before: datetime) -> None:
    session.execute(delete(IntakeAttempt).where(IntakeAttempt.attempted_at < before))


def by_submission_key(session: Session, key: str) -> Intake | None:
    return session.scalar(select(Intake).where(Intake.submission_key == key))


def reference_exists(session: Session, reference: str) -> bool:
    return session.scalar(select(Intake.id).where(Intake.reference == reference)) is not None


def queue(session: Session, status: str, limit: int = 200) -> list[Intake]:
    stmt = select(Intake).where(Intake.status == status)
    order = Intake.received_at.asc() if status == "new" else Intake.received_at.desc()
    return list(session.scalars(stmt.order_by(order, Intake.id).limit(limit)))


def get(session: Session, intake_id: int) -> Intake | None:
    return session.get(Intake, intake_id)
