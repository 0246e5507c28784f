"""One app-wide "data changed" signal: every write says what it changed, every screen decides
what to redraw. No widget refreshes another widget."""

from __future__ import annotations

from dataclasses import dataclass, fields

from PySide6.QtCore import QObject, Signal


@dataclass(frozen=True, slots=True)
class Changes:
    """What an operation changed; screens redraw only what they show."""

    cart: bool = False
    catalog: bool = False  # products, prices, stock
    orders: bool = False
    outbox: bool = False
    lists: bool = False  # saved lists (order templates) on this device
    notifications: bool = False  # the notification centre (new, read, desktop choices)
    status: bool = False  # freshness, connectivity, the signed-in profile

    @classmethod
    def everything(cls) -> Changes:
        return cls(**{f.name: True for f in fields(cls)})

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                          for f in fields(self)})  # fmt: skip

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


class DataBus(QObject):
    """`changed(Changes)` is emitted on the GUI thread after each successful write or sync."""

    changed = Signal(object)

    def announce(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)
