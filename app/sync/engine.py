"""One sync round: push the outbox, then pull every bucket to the server's position.

Rules from the sync contract this code keeps:
- a page and its cursor are applied in one replica transaction (`Replica.apply_page`);
- a bucket whose checkpoint disagrees, or whose rows were damaged on disk, is re-downloaded;
- a mutation leaves the outbox only as the server's stored answer (applied / rejected /
  needs confirmation); a transport failure leaves it pending for the next round;
- only one process per data directory pushes (an OS file lock).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.store.outbox import Outbox
from app.store.pages import BucketPage
from app.store.replica import Replica
from app.sync import PROTOCOL_VERSION
from app.sync.errors import ClientTooOld
from app.sync.lock import PushLock

if TYPE_CHECKING:  # the client (and httpx) is imported when a sync starts, not with the app
    from app.sync.client import ServerClient

log = logging.getLogger("orderpad.sync")
MAX_REDOWNLOADS = 2


@dataclass(frozen=True, slots=True)
class SyncProgress:
    phase: str  # "push" | "pull"
    bucket: str | None
    rows: int
    message: str


@dataclass
class SyncReport:
    pushed: int = 0
    applied: int = 0
    rejected: int = 0
    needs_confirmation: int = 0
    pulled_rows: int = 0
    redownloaded: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    push_skipped: str | None = None  # why nothing was pushed, if so
    seq_gap: list[int] | None = None

    def summary(self) -> str:
        parts = [f"pushed {self.pushed}"]
        if self.pushed:
            parts.append(
                f"({self.applied} applied, {self.needs_confirmation} waiting for you, "
                f"{self.rejected} rejected)"
            )
        parts.append(f"pulled {self.pulled_rows} rows")
        if self.redownloaded:
            parts.append("re-downloaded " + ", ".join(self.redownloaded))
        if self.push_skipped:
            parts.append(f"push skipped: {self.push_skipped}")
        return "; ".join(parts)


Listener = Callable[[SyncProgress], None]


class SyncEngine:
    def __init__(
        self,
        replica: Replica,
        client: ServerClient,
        outbox: Outbox,
        *,
        progress: Listener | None = None,
        batch_size: int = 100,
        page_limit: int = 10_000,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.replica = replica
        self.outbox = outbox
        self.client = client
        self.progress = progress or (lambda _p: None)
        self.batch_size = batch_size
        self.page_limit = page_limit
        self.lock = PushLock(replica.path.parent)
        self.clock = clock

    def sync(self, *, verify: bool = False) -> SyncReport:
        """Push then pull. Raises Offline / ServerBusy / SignInRequired / ClientTooOld.

        `verify` checks every bucket against the server's checkpoint, changed or not."""
        report = SyncReport()
        if self.replica.get_meta("held_for_upgrade") == str(PROTOCOL_VERSION):
            report.push_skipped = "this Orderpad is too old for the server; update it"
        else:
            self.push(report)
        self.pull(report, verify=verify)
        return report

    # -- push ------------------------------------------------------------------------------
    def push(self, report: SyncReport) -> None:
        if not self.lock.acquire():
            report.push_skipped = "another Orderpad window is sending this queue"
            return
        try:
            while True:
                batch = self.outbox.pending(limit=self.batch_size)
                if not batch:
                    return
                self.progress(
                    SyncProgress("push", None, report.pushed, f"sending {len(batch)} changes")
                )
                body = {
                    "protocol": PROTOCOL_VERSION,
                    "device_id": self.replica.device_id,
                    "mutations": [e.to_wire() for e in batch],
                }
                try:
                    answer = self.client.call("POST", "/api/v1/sync/push", body)
                except ClientTooOld:
                    self.replica.set_meta("held_for_upgrade", str(PROTOCOL_VERSION))
                    raise
                except Exception as exc:
                    self.outbox.mark_failed([e.id for e in batch], str(exc))
                    raise
                results: list[dict[str, Any]] = answer["results"]
                self.outbox.mark_results(results)
                report.seq_gap = answer.get("seq_gap") or report.seq_gap
                report.pushed += len(results)
                for r in results:
                    if r["status"] == "applied":
                        report.applied += 1
                    elif r["status"] == "needs_confirmation":
                        report.needs_confirmation += 1
                    else:
                        report.rejected += 1
                        log.warning("server rejected %s: %s", r.get("id"), r.get("message"))
                if len(batch) < self.batch_size:
                    return
        finally:
            self.lock.release()

    # -- pull ------------------------------------------------------------------------------
    def _pull_body(
        self, cursors: dict[str, int], epoch: str | None, verify: bool
    ) -> dict[str, Any]:
        return {
            "protocol": PROTOCOL_VERSION,
            "epoch": epoch,
            "cursors": cursors,
            "limit": self.page_limit,
            "verify": verify,
        }

    def pull(self, report: SyncReport, *, verify: bool = False) -> None:
        """Pull until the server has nothing more. While one page is applied, the next one is
        already being fetched (its cursors are known from the answer): on two cores the
        server's serialisation and the replica's writes overlap instead of taking turns."""
        redownloads = 0
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="orderpad-pull") as pool:
            fetch = pool.submit(
                self.client.call,
                "POST",
                "/api/v1/sync/pull",
                self._pull_body(self.replica.cursors(), self.replica.get_meta("epoch"), verify),
            )
            while True:
                answer = fetch.result()
                ahead = None
                if answer.get("more"):
                    cursors = {
                        b: c
                        for b, c in self.replica.cursors().items()
                        if b not in answer.get("dropped", [])
                    }
                    cursors.update({b["bucket"]: b["to"] for b in answer["buckets"]})
                    ahead = pool.submit(
                        self.client.call,
                        "POST",
                        "/api/v1/sync/pull",
                        self._pull_body(cursors, answer["epoch"], verify),
                    )
                bad = self._apply_answer(answer, report, verify=verify)
                if bad and redownloads < MAX_REDOWNLOADS:
                    redownloads += 1
                    if ahead is not None:
                        ahead.result()  # fetched with cursors that are about to be reset
                    for bucket in bad:
                        log.warning(
                            "bucket %s disagrees with the server; downloading it again", bucket
                        )
                        self.replica.reset_bucket(bucket)
                        report.redownloaded.append(bucket)
                    ahead = pool.submit(
                        self.client.call,
                        "POST",
                        "/api/v1/sync/pull",
                        self._pull_body(
                            self.replica.cursors(), self.replica.get_meta("epoch"), verify
                        ),
                    )
                if ahead is None:
                    return
                fetch = ahead

    def _apply_answer(
        self, answer: dict[str, Any], report: SyncReport, *, verify: bool
    ) -> list[str]:
        """Apply one pull answer; returns the buckets whose checkpoint disagreed."""
        if answer.get("dropped"):
            self.replica.drop_buckets(answer["dropped"])
            report.dropped += answer["dropped"]
        server_now = dt.datetime.fromisoformat(answer["server_time"])
        offset = (server_now - self.clock()).total_seconds()
        self.replica.set_meta("server_clock_offset_s", f"{offset:.0f}")
        if self.replica.switch_epoch(answer["epoch"]):
            log.info("server epoch changed: every bucket is downloaded again")
        bad: list[str] = []
        for raw in answer["buckets"]:
            page = BucketPage.from_json(raw)
            self.replica.apply_page(page)
            report.pulled_rows += len(page.rows)
            if page.rows:
                self.progress(
                    SyncProgress(
                        "pull",
                        page.bucket,
                        report.pulled_rows,
                        f"{page.bucket}: {len(page.rows)} rows",
                    )
                )
            if (
                page.complete
                and page.checkpoint is not None
                and not self._verified(page, deep=verify)
            ):
                bad.append(page.bucket)
        return bad

    def _verified(self, page: BucketPage, *, deep: bool) -> bool:
        """Compare with the server's checkpoint; `deep` also re-hashes every stored row
        (seconds per 100k products, so only on a verify round)."""
        assert page.checkpoint is not None
        local = self.replica.checkpoint_of(page.bucket)
        if (local.count, local.checksum) != (page.checkpoint.count, page.checkpoint.checksum):
            return False
        return not (deep and self.replica.corrupted_keys(page.bucket))
