"""`orderpad-server simulate-erp`: an ERP for the demo, playing through the integration
service functions: it takes ready orders over, confirms, backorders, ships in parts,
delivers, and now and then delays.

``ErpSimulator(sessions, seed=7).run_once()`` does everything due at once (fast-forwarding
its clock); ``run(stop)`` keeps going in real time, its waits divided by `speed`.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from server.db import transaction, utcnow
from server.erp import orders as erp_orders
from server.erp.keys import KeyScope
from server.erp.models import ErpEvent
from server.erp.service import post_event
from server.erp.sim_plan import IN_FLIGHT, Step, next_step
from server.erp.state import OrderState
from server.orders.models import Order, OrderStatus

SCOPE = KeyScope(key_id=0, name="simulator", accounts=frozenset())
_MAX_ROUNDS = 100  # every order is done long before; a guard against a plan that loops


@dataclass
class SimReport:
    acknowledged: int = 0
    applied: int = 0
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)  # one line per applied step, for a person


class ErpSimulator:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        *,
        seed: int = 7,
        speed: float = 60.0,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        if speed <= 0:
            raise ValueError("speed must be greater than 0")
        self.sessions = sessions
        self.seed = seed
        self.speed = speed
        self.clock = clock

    def _order_ids(self) -> list[int]:
        with self.sessions() as session:
            # New orders come from the same call the ERP API answers with.
            ready = [
                uuid.UUID(o["client_order_id"])
                for o in erp_orders.ready_orders(session, SCOPE, limit=1000)
            ]
            taken_over = [s for s in IN_FLIGHT if s != OrderStatus.SUBMITTED]
            return list(
                session.scalars(
                    select(Order.id)
                    .where(or_(Order.status.in_(taken_over), Order.client_order_id.in_(ready)))
                    .order_by(Order.id)
                )
            )

    def _plan(self, order_id: int) -> tuple[Step, dt.datetime, str] | None:
        with self.sessions() as session:
            order = session.get(
                Order, order_id, options=[selectinload(Order.lines), selectinload(Order.history)]
            )
            if order is None:
                return None
            state = OrderState.load(session, order)
            posted = set(
                session.scalars(select(ErpEvent.event_id).where(ErpEvent.order_id == order_id))
            )
            step = next_step(self.seed, state, posted)
            if step is None:
                return None
            due = order.updated_at + dt.timedelta(seconds=step.delay_s / self.speed)
            return step, due, str(order.client_order_id)

    def _apply(self, step: Step, client_order_id: str, report: SimReport) -> bool:
        """Apply the step; False when the service refused part of it."""
        if step.ack is not None:
            try:
                with transaction(self.sessions) as session:
                    answer = erp_orders.acknowledge(
                        session, SCOPE, client_order_id=client_order_id, erp_number=step.ack
                    )
            except (erp_orders.AckConflict, erp_orders.OrderNotFound) as exc:
                # The buyer cancelled meanwhile, or another ERP took the order over.
                report.rejected.append(f"ack of {client_order_id}: {exc}")
                return False
            report.acknowledged += 1
            report.log.append(f"{answer['number']}: taken over as ERP order {step.ack}")
        for event in step.events:
            result = post_event(self.sessions, SCOPE, event, source="simulator")
            order = result["order"] or {}
            if result["status"] == "applied":
                report.applied += 1
                report.log.append(f"{order.get('number')}: {result['message']}")
            elif result["status"] == "duplicate":
                report.unchanged += 1
            else:
                report.rejected.append(f"{event['event_id']}: {result['message']}")
                return False
        return True

    def step(
        self,
        *,
        fast_forward: bool,
        report: SimReport | None = None,
        stuck: set[int] | None = None,
    ) -> SimReport:
        """Apply the next step of every order that is due (every order, with fast_forward).

        Orders in `stuck` are skipped; an order whose step was refused is added to it.
        """
        report = report or SimReport()
        stuck = set() if stuck is None else stuck
        now = self.clock()
        for order_id in self._order_ids():
            planned = None if order_id in stuck else self._plan(order_id)
            if planned is None:
                continue
            step, due, client_order_id = planned
            if (fast_forward or due <= now) and not self._apply(step, client_order_id, report):
                stuck.add(order_id)
        return report

    def run_once(self) -> SimReport:
        """Play every order to its end (delivered or cancelled), as if time flew."""
        report = SimReport()
        stuck: set[int] = set()
        for _ in range(_MAX_ROUNDS):
            before = (report.acknowledged, report.applied)
            self.step(fast_forward=True, report=report, stuck=stuck)
            if (report.acknowledged, report.applied) == before:
                break
        return report

    def run(
        self, stop: threading.Event, *, poll_s: float = 1.0, on_step: Callable[[str], None]
    ) -> None:
        """Keep playing in real time until `stop` is set; `on_step` hears each applied step."""
        while not stop.is_set():
            report = self.step(fast_forward=False)
            for line in report.log + [f"rejected {r}" for r in report.rejected]:
                on_step(line)
            stop.wait(poll_s)
