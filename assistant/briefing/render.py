"""The brief as Markdown (for preview, editing and printing) and its source groups."""

from __future__ import annotations

import re

from assistant.briefing.types import Brief, BriefItem, BriefSection, Source

_MD_SPECIAL = re.compile(r"([\\`*_<>])")


def cite(numbers: tuple[int, ...]) -> str:
    """' [1][3]' for the given source numbers ('' for none)."""
    return "".join(f"[{n}]" for n in numbers)


def with_citation(text: str, numbers: tuple[int, ...]) -> str:
    """Text followed by its markers."""
    marks = cite(numbers)
    return f"{text} {marks}" if marks else text


def source_groups(brief: Brief) -> list[tuple[str, list[Source]]]:
    """Sources grouped by the document they come from, in order of first number."""
    groups: dict[str, list[Source]] = {}
    for source in brief.sources:
        groups.setdefault(source.reference, []).append(source)
    return list(groups.items())


def _esc(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_item(item: BriefItem, numbered: int | None = None) -> list[str]:
    head = f"{numbered}." if numbered else "-"
    label = f"**{_esc(item.label)}** " if item.label else ""
    lines = [f"{head} {label}{_esc(item.text)} {cite(item.sources)}".rstrip()]
    lines += [f"    - {_esc(detail)}" for detail in item.details]
    for child in item.children:
        child_label = f"*{_esc(child.label)}* " if child.label else ""
        text = _esc(child.text) if child.sources else f"*{_esc(child.text)}*"
        lines.append(f"    - {child_label}{text} {cite(child.sources)}".rstrip())
    return lines


def _md_section(section: BriefSection) -> list[str]:
    lines = [f"## {_esc(section.heading)}", ""]
    if section.intro:
        for paragraph in section.intro.split("\n\n"):
            lines += [_esc(paragraph), ""]
    numbered = section.key == "vragen"
    for i, item in enumerate(section.items, start=1):
        lines += _md_item(item, i if numbered else None)
    return [*lines, ""] if section.items else lines


def to_markdown(brief: Brief) -> str:
    """The whole brief as Markdown."""
    lines = [f"# {_esc(brief.title)}", "", f"**{_esc(brief.audience)}**", ""]
    lines += [f"> {_esc(brief.note)}", ""]
    lines += [f"> {_esc(note)}\n" for note in brief.notes]
    for section in brief.sections:
        lines += _md_section(section)
    lines += [f"## {_esc(brief.sources_heading)}", ""]
    for reference, sources in source_groups(brief):
        lines += [_esc(reference), ""]
        lines += [f"- [{s.n}] {_esc(s.location)}" for s in sources]
        lines.append("")
    if brief.footer:
        lines += ["---", "", f"*{_esc(brief.footer)}*", ""]
    return "\n".join(lines)
