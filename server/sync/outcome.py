"""What a mutation handler returns, and the error it raises to refuse for good."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str  # applied | needs_confirmation | rejected
    code: str = "ok"
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "result": self.result,
        }


class Rejected(Exception):
    """A permanent refusal: the client records it, shows `message`, and moves on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def applied(message: str = "", **result: Any) -> Outcome:
    return Outcome("applied", "ok", message, result)
