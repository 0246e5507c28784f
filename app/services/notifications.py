"""The notification centre: what happened to the buyer's orders since they last looked.

After every sync ``NotificationCentre.after_sync()`` compares each changed order (and the
stock of products backordered on open orders) with what it saw last and records a
notification per event; the desktop lists them, marks them read, and offers each new one
once as a desktop message for the kinds the person wants (``desktop_choices``).

Other features record their own notifications through the same API: add the kind to
``KINDS`` (one line) and call ``record(NoticeDraft(kind, title, text, order_id, order_ref))``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from app.services import order_notices as on
from app.services.approval_notices import (
    APPROVAL_REQUESTED,
    ORDER_APPROVED,
    ORDER_REJECTED,
    approval_facts,
    approval_notices,
)
from app.services.order_status import OPEN_STATUSES
from app.store import approvals as approval_store
from app.store import notifications as store
from app.store.notifications import Notice as Notice
from app.store.notifications import NoticeDraft as NoticeDraft

if TYPE_CHECKING:
    from app.store.replica import Replica


@dataclass(frozen=True, slots=True)
class NoticeKind:
    """A kind of notification and how the settings name it."""

    name: str
    label: str


KINDS: tuple[NoticeKind, ...] = (
    NoticeKind(on.ORDER_CONFIRMED, "Order confirmed by the supplier"),
    NoticeKind(on.ORDER_SHIPPED, "Order shipped or partly shipped"),
    NoticeKind(on.ORDER_DELIVERED, "Order delivered"),
    NoticeKind(on.ORDER_DELAYED, "Order or parcel delayed"),
    NoticeKind(on.ORDER_EXCEPTION, "Problem reported by the supplier"),
    NoticeKind(on.ORDER_CANCELLED, "Order or line cancelled"),
    NoticeKind(on.LINE_BACKORDERED, "Line backordered"),
    NoticeKind(on.BACK_IN_STOCK, "Backordered item back in stock"),
    NoticeKind(APPROVAL_REQUESTED, "An order waits for my approval"),
    NoticeKind(ORDER_APPROVED, "My order was approved"),
    NoticeKind(ORDER_REJECTED, "My order was rejected"),
)
_ORDER = "order:"
_STOCK = "stock:"
_BASELINE = "baseline"  # present once the first comparison stored what the replica held


def kind_label(kind: str) -> str:
    return next((k.label for k in KINDS if k.name == kind), kind.replace("_", " "))


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class NotificationCentre:
    """Notifications of one replica. Every method is one short transaction; call them on
    the replica's database thread."""

    def __init__(
        self,
        replica: Replica,
        *,
        clock: Callable[[], dt.datetime] = _utc_now,
        me: Callable[[], str | None] = lambda: None,
    ) -> None:
        """``me()`` is the signed-in user's email: approval notices depend on who you are."""
        self.replica = replica
        self.clock = clock
        self.me = me

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat()

    # -- recording ---------------------------------------------------------------------------
    def record(self, *drafts: NoticeDraft) -> list[int]:
        """Record notifications (unread, not yet offered as desktop messages)."""
        with self.replica.session() as session:
            return store.record(session.connection(), drafts, now=self._now())

    def after_sync(self) -> list[Notice]:
        """Compare the replica with what was seen last, record what happened, and return
        the new notifications. The first run only takes note of what is there: a new
        data folder does not announce an order history."""
        people = approval_store.people(self.replica)
        email = (self.me() or "").casefold()
        me = next((p for p in people.values() if p.email.casefold() == email), None)
        with self.replica.session() as session:
            conn = session.connection()
            first_run = not store.watched(conn, [_BASELINE])
            changed = store.changed_orders(conn)
            before = store.watched(
                conn, [_ORDER + oid for oid, _d, _doc, known in changed if known]
            )
            drafts: list[NoticeDraft] = []
            seen: dict[str, tuple[str | None, object]] = {}
            for order_id, digest, doc, _seen in changed:
                facts = {**on.order_facts(doc), **approval_facts(doc)}
                if not first_run:
                    old = before.get(_ORDER + order_id, on.NEW_ORDER)
                    drafts += on.order_notices(old, facts, doc)
                    drafts += approval_notices(old, facts, doc, me=me, people=people)
                seen[_ORDER + order_id] = (digest, facts)
            drafts += _stock_changes(conn, seen, first_run=first_run)
            if first_run:
                seen[_BASELINE] = (None, {"at": self._now()})
            store.watch(conn, seen)
            ids = store.record(conn, drafts, now=self._now())
            return store.notices(conn, limit=len(ids)) if ids else []

    # -- reading and marking -----------------------------------------------------------------
    def notices(self, *, unread_only: bool = False, limit: int = 200) -> list[Notice]:
        """Newest first."""
        with self.replica.reading() as session:
            return store.notices(session.connection(), unread_only=unread_only, limit=limit)

    def unread_count(self) -> int:
        with self.replica.reading() as session:
            return store.unread_count(session.connection())

    def mark_read(self, ids: Sequence[int] | None = None) -> int:
        """Mark ``ids`` (None: all) read; returns how many were unread."""
        with self.replica.session() as session:
            return store.mark_read(session.connection(), ids, now=self._now())

    def take_unannounced(self) -> list[Notice]:
        """New notifications not offered as desktop messages yet, each returned once, and
        only those of kinds the person wants desktop messages for."""
        with self.replica.session() as session:
            conn = session.connection()
            wanted = store.desktop_choices(conn)
            fresh = store.take_unannounced(conn, now=self._now())
        return [n for n in fresh if wanted.get(n.kind, True)]

    # -- desktop message choices ---------------------------------------------------------------
    def desktop_choices(self) -> dict[str, bool]:
        """kind -> whether a desktop message is wanted, for every kind in ``KINDS``."""
        with self.replica.reading() as session:
            chosen = store.desktop_choices(session.connection())
        return {k.name: chosen.get(k.name, True) for k in KINDS}

    def set_desktop_choice(self, kind: str, on_: bool) -> None:
        with self.replica.session() as session:
            store.set_desktop_choice(session.connection(), kind, on_)


def _stock_changes(
    conn: Connection, seen: dict[str, tuple[str | None, object]], *, first_run: bool
) -> list[NoticeDraft]:
    """Products backordered on an open order whose stock went from none to some."""
    waiting = on.backordered_on(store.open_order_docs(conn, sorted(OPEN_STATUSES)))
    before = store.watched(conn, [_STOCK + sku for sku in waiting])
    stock = store.stock_docs(conn, sorted(waiting))
    drafts: list[NoticeDraft] = []
    for sku, orders in sorted(waiting.items()):
        now = on.available(stock.get(sku))
        old = before.get(_STOCK + sku)
        if old is not None and not first_run:
            draft = on.stock_notice(sku, on.quantity(old.get("available")), now, orders)
            if draft is not None:
                drafts.append(draft)
        seen[_STOCK + sku] = (None, {"available": on.plain(now)})
    gone = set(store.watched_subjects(conn, _STOCK)) - {_STOCK + sku for sku in waiting}
    store.forget(conn, gone)
    return drafts
