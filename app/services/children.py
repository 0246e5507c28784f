"""Child processes Orderpad starts (the demo server, the simulated ERP; benchmarks and tests
reuse it): stop one politely, then firmly."""

from __future__ import annotations

import subprocess


def stop_child(child: subprocess.Popen[bytes] | None, timeout_s: float = 10) -> None:
    """Terminate `child` and wait; kill it when it does not exit within `timeout_s`.
    A child that is missing or already gone is left alone."""
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout_s)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait(timeout_s)
