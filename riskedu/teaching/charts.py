"""A line chart drawn on the server as SVG: no script, no library, readable with styles off. This module
works out the geometry (pure functions); the template ``teaching/_line_chart.html`` draws it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_X_LABELS = 6


@dataclass(frozen=True)
class ChartPoint:
    label: str  # shown under the axis (some are skipped when there are many)
    value: int | None  # None: nothing to show for this point (a gap in the line)
    description: str  # what a tooltip or screen reader says about the point


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    description: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: tuple[tuple[float, str], ...]
    x_labels: tuple[tuple[float, str], ...]
    lines: tuple[str, ...]  # SVG polyline points, one per run of points without a gap
    dots: tuple[Dot, ...]


def line_chart(
    points: Sequence[ChartPoint],
    *,
    y_max: int = 100,
    y_unit: str = "%",
    width: int = 340,
    height: int = 200,
) -> LineChart:
    # Drawn about the size of a phone's screen, so its 12-unit text stays readable there.
    left, right, top, bottom = 38.0, width - 22.0, 10.0, height - 30.0
    count = len(points)

    def x_at(index: int) -> float:
        if count <= 1:
            return round((left + right) / 2, 1)
        return round(left + (right - left) * index / (count - 1), 1)

    def y_at(value: int) -> float:
        clamped = min(max(value, 0), y_max)
        return round(bottom - (bottom - top) * clamped / y_max, 1)

    lines: list[str] = []
    run: list[str] = []
    dots = []
    for index, point in enumerate(points):
        if point.value is None:
            if run:
                lines.append(" ".join(run))
            run = []
            continue
        x, y = x_at(index), y_at(point.value)
        run.append(f"{x},{y}")
        dots.append(Dot(x, y, point.description))
    if run:
        lines.append(" ".join(run))
    x_labels = tuple((x_at(index), points[index].label) for index in labelled_indices(count))
    ticks = tuple((y_at(value), f"{value}{y_unit}") for value in range(0, y_max + 1, y_max // 4))
    return LineChart(width, height, left, right, top, bottom, ticks, x_labels, tuple(lines), tuple(dots))


def labelled_indices(count: int, most: int = MAX_X_LABELS) -> list[int]:
    """Which points get a label under the axis: evenly spaced, the first always, the last when it does not
    crowd the one before."""
    if count == 0:
        return []
    step = -(-count // most)  # ceiling division
    indices = list(range(0, count, step))
    last = count - 1
    if indices[-1] != last and last - indices[-1] >= step / 2 and len(indices) < most:
        indices.append(last)
    return indices
