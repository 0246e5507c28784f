"""The order timeline as a row of steps: a dot per step joined by a line, its name and when
it happened (or is expected) underneath. Done steps are green, the current one is a larger
dot (orange for a delay or problem, red when cancelled or rejected), future ones hollow.
Hovering a step shows its full time and detail."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.services.order_status import TimelineStep

GREEN = QColor(46, 157, 87)
BLUE = QColor(47, 111, 179)
ORANGE = QColor(214, 135, 0)
RED = QColor(200, 55, 55)
_DOT = 7.0  # radius of a done or future step
_NOW = 10.0  # radius of the current step
_TOP = 14.0  # centre line of the dots
_SLOT_MIN = 84


def short_time(when: dt.datetime | None) -> str:
    return when.astimezone().strftime("%d %b %H:%M") if when else ""


def long_time(when: dt.datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else ""


def step_colour(step: TimelineStep) -> QColor:
    if step.tone == "bad":
        return RED
    if step.tone == "warn":
        return ORANGE
    if step.current and step.key not in ("delivered",):
        return BLUE
    return GREEN


def step_caption(step: TimelineStep) -> str:
    """The small line under a step's name: when it happened, or when it is expected."""
    if step.at is not None:
        return short_time(step.at)
    if step.expected is not None:
        return f"{'exp.' if step.future else 'due'} {step.expected:%d %b}"
    return ""


class OrderTimeline(QWidget):
    """``set_steps(steps)``; ``steps`` is what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps: list[TimelineStep] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_steps(self, steps: list[TimelineStep]) -> None:
        self.steps = list(steps)
        self._fit()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def title_lines(self, width: int | None = None) -> int:
        """1 when every step's name fits its share of the width, else 2 (names wrap)."""
        if not self.steps:
            return 1
        slot = (self.width() if width is None else width) / len(self.steps) - 4
        metrics = QFontMetrics(self._fonts()[1])
        return 1 if all(metrics.horizontalAdvance(s.title) <= slot for s in self.steps) else 2

    def _fit(self) -> None:
        height = self.sizeHint().height()
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        normal = QFont(self.font())
        bold = QFont(normal)
        bold.setBold(True)
        small = QFont(normal)
        small.setPointSizeF(max(7.0, normal.pointSizeF() - 1.5))
        return normal, bold, small

    def sizeHint(self) -> QSize:
        small = self._fonts()[2]
        line = QFontMetrics(self._fonts()[1]).height()
        height = _TOP + _NOW + 6 + self.title_lines() * line + QFontMetrics(small).height() + 4
        return QSize(max(1, len(self.steps)) * _SLOT_MIN, int(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.sizeHint().height())

    def _centres(self) -> list[float]:
        slot = self.width() / max(1, len(self.steps))
        return [slot * (i + 0.5) for i in range(len(self.steps))]

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self.steps:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        normal, bold, small = self._fonts()
        grey = self.palette().color(QPalette.ColorRole.Mid)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        faint = self.palette().color(QPalette.ColorRole.PlaceholderText)
        centres = self._centres()
        slot = self.width() / len(self.steps)
        for i in range(len(self.steps) - 1):  # the line between a step and the next
            reached = not self.steps[i + 1].future
            pen = QPen(GREEN if reached else grey, 3 if reached else 2)
            if not reached:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(centres[i], _TOP), QPointF(centres[i + 1], _TOP))
        for step, x in zip(self.steps, centres, strict=True):
            colour = step_colour(step)
            centre = QPointF(x, _TOP)
            if step.future:
                painter.setPen(QPen(grey, 2))
                painter.setBrush(self.palette().color(QPalette.ColorRole.Base))
                painter.drawEllipse(centre, _DOT, _DOT)
            elif step.current:
                painter.setPen(QPen(colour.lighter(160), 4))
                painter.setBrush(colour)
                painter.drawEllipse(centre, _NOW, _NOW)
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawEllipse(centre, _DOT, _DOT)
            if step.waiting and step.tone == "good":  # not done yet: a hollow centre
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor("white"))
                painter.drawEllipse(centre, 3.5, 3.5)
            elif not step.future and step.tone == "good":  # a check mark in the dot
                painter.setPen(QPen(QColor("white"), 2))
                painter.drawPolyline([QPointF(x - 3.5, _TOP), QPointF(x - 1, _TOP + 2.5),
                                      QPointF(x + 3.5, _TOP - 2.5)])  # fmt: skip
            elif not step.future:  # "!" for a delay, problem, cancellation
                painter.setPen(QPen(QColor("white"), 2))
                painter.drawLine(QPointF(x, _TOP - 4), QPointF(x, _TOP + 1))
                painter.drawPoint(QPointF(x, _TOP + 4))
            top = _TOP + _NOW + 6
            title_font = bold if step.current else normal
            painter.setFont(title_font)
            painter.setPen(colour if step.current and step.tone != "good" else
                           (faint if step.future else text))  # fmt: skip
            lines = self.title_lines() * QFontMetrics(bold).height()
            box = QRectF(x - slot / 2 + 2, top, slot - 4, lines)
            flags = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
            painter.drawText(box, int(flags | Qt.TextFlag.TextWordWrap), step.title)
            painter.setFont(small)
            painter.setPen(faint)
            below = QRectF(x - slot / 2 + 2, top + lines, slot - 4, painter.fontMetrics().height())
            painter.drawText(below, int(flags), step_caption(step))
        painter.end()

    def step_at(self, x: float) -> TimelineStep | None:
        if not self.steps or self.width() <= 0:
            return None
        index = int(x / (self.width() / len(self.steps)))
        return self.steps[index] if 0 <= index < len(self.steps) else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            step = self.step_at(event.pos().x())
            if step is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), step_tooltip(step), self)
            return True
        return super().event(event)


def step_tooltip(step: TimelineStep) -> str:
    parts = [step.title]
    if step.at is not None:
        parts.append(long_time(step.at))
    elif step.expected is not None:
        parts.append(f"expected {step.expected.isoformat()}")
    if step.detail:
        parts.append(step.detail)
    return "\n".join(parts)
