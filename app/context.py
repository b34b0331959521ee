"""Who is acting: the signed-in user (or a system account on the CLI) and where from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.users.models import User


@dataclass
class Actor:
    user: User | None
    ip: str | None = None
    #: How the request was authenticated: "session", "token" or "cli".
    via: str = "session"
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        if self.user is None:
            return "anonymous"
        return f"{self.user.name} <{self.user.email}>"

    @property
    def role(self) -> str | None:
        return self.user.role if self.user else None
