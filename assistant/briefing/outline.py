"""A suggested session outline: template steps with minutes that add up to the duration."""

from __future__ import annotations

from assistant.briefing.templates import OutlineStep
from assistant.briefing.types import BriefItem

STEP_MINUTES = 5


def allocate(weights: list[int], total: int, step: int = STEP_MINUTES) -> list[int]:
    """Minutes per step, proportional to the weights, in multiples of `step`, summing to total."""
    units, rest = divmod(total, step)
    share = sum(weights) or 1
    raw = [w * units / share for w in weights]
    base = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (-(raw[i] - base[i]), i))
    for i in by_remainder[: units - sum(base)]:
        base[i] += 1
    minutes = [b * step for b in base]
    if minutes:
        minutes[-1] += rest
    return minutes


def outline_items(steps: list[OutlineStep], duration: int, **values: object) -> list[BriefItem]:
    """The outline as items labelled with their time slot ('0–10 min')."""
    items, start = [], 0
    for step, minutes in zip(steps, allocate([s.weight for s in steps], duration), strict=True):
        if minutes <= 0:
            continue
        title = step.title.render(**values)
        description = step.description.render(**values)
        text = f"{title}: {description}" if description else title
        label = f"{start}–{start + minutes} min"
        items.append(BriefItem(text=text, origin="sjabloon", label=label))
        start += minutes
    return items
