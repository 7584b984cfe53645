"""The radar (spider) chart of the lever scores, drawn with matplotlib (imported only here).

Sized for a phone: the PNG is nearly square and shown at the screen's width, so the labels
are drawn large and wrapped to short lines (about 12 px high on a 390 px wide screen,
checked in the browser test's screenshots). Uses matplotlib's
object API (Figure + Agg canvas), never pyplot, so concurrent requests share no state.
"""

from __future__ import annotations

import io
import math
import textwrap

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from assistant.selfscan.types import ScanResult

LINE = "#2f5fb3"
FILL = "#5b7fdb"
GRID = "#b8c2d6"
TEXT = "#1f2937"
START = "#b45309"  # the lever to begin with
SIZE_IN = 4.2
DPI = 150
LABEL_PT = 17
TICK_PT = 13


def radar_png(result: ScanResult, *, dpi: int = DPI) -> bytes:
    """The scores 0-100 per lever as a radar chart, PNG bytes; the start lever in orange."""
    names = [lever.name for lever in result.levers]
    scores = [lever.score for lever in result.levers]
    angles = [2 * math.pi * i / len(names) for i in range(len(names))]
    figure = Figure(figsize=(SIZE_IN, SIZE_IN), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)  # first lever at the top, then clockwise
    ax.set_theta_direction(-1)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100], labels=["25", "50", "75", "100"])
    ax.tick_params(axis="y", labelsize=TICK_PT, labelcolor="#6b7280")
    ax.set_rlabel_position(180 / len(names))  # scale numbers between two axes
    ax.grid(color=GRID, linewidth=1)
    ax.spines["polar"].set_color(GRID)
    closed_angles, closed_scores = [*angles, angles[0]], [*scores, scores[0]]
    ax.fill(closed_angles, closed_scores, color=FILL, alpha=0.25)
    ax.plot(closed_angles, closed_scores, color=LINE, linewidth=2.5)
    ax.scatter(angles, scores, s=50, color=LINE, zorder=3)
    labels = [f"{_wrap(name)}\n{score}" for name, score in zip(names, scores, strict=True)]
    ax.set_xticks(angles, labels=labels)
    ax.tick_params(axis="x", labelsize=LABEL_PT, pad=8, labelcolor=TEXT)
    for label, lever, angle in zip(ax.get_xticklabels(), result.levers, angles, strict=True):
        # labels grow away from the circle, so none runs into it
        side, up = math.sin(angle), math.cos(angle)
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
        label.set_verticalalignment("bottom" if up > 0.1 else "top" if up < -0.1 else "center")
        if lever.id == result.start_lever:
            label.set_color(START)
            label.set_fontweight("bold")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.15, dpi=dpi)
    return buffer.getvalue()


def _wrap(name: str, width: int = 11) -> str:
    return "\n".join(textwrap.wrap(name, width)) or name
