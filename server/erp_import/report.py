"""What an ERP import did: counts, the rows it refused and why, ready for a CLI or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ImportKind(StrEnum):
    PRODUCTS = "products"
    PRICES = "prices"
    STOCK = "stock"
    ACCOUNTS = "accounts"


@dataclass(frozen=True, slots=True)
class RowError:
    """One refused row (or the header). `row` is 1-based as a spreadsheet shows it."""

    row: int
    column: str | None
    value: str | None
    message: str

    def describe(self) -> str:
        """``row 7, column price: 'abc' is not a number``."""
        where = (
            f"row {self.row}" if self.column is None else f"row {self.row}, column {self.column}"
        )
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportReport:
    kind: ImportKind
    file: str
    rows_read: int
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    dry_run: bool
    # Header cells that match no known column; their values were not read.
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind.value,
            "file": self.file,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "ignored_columns": list(self.ignored_columns),
            "errors": [
                {"row": e.row, "column": e.column, "value": e.value, "message": e.message}
                for e in self.errors
            ],
        }

    def summary(self, *, max_errors: int | None = None) -> str:
        """Human text: one headline, then one line per error (the first `max_errors` only)."""
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"{self.kind.value} from {self.file}: {self.rows_read} rows read; "
            f"{self.created} {verb} created, {self.updated} updated, "
            f"{self.unchanged} unchanged; {len(self.errors)} errors"
            + (" (dry run: nothing was changed)" if self.dry_run else "")
        ]
        if self.ignored_columns:
            lines.append("ignored columns: " + ", ".join(self.ignored_columns))
        shown = self.errors if max_errors is None else self.errors[:max_errors]
        lines.extend(e.describe() for e in shown)
        if len(shown) < len(self.errors):
            lines.append(f"... and {len(self.errors) - len(shown)} more errors")
        return "\n".join(lines)
