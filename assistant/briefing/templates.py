"""The brief's fixed text: headings, queries, questions and outlines from prompts/brief_*.txt.

Files with blocks start each block with a line `[key]`; lines starting with '#' are
comments. Every line is a PromptTemplate, so a missing variable fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import ConfigError
from assistant.core.prompts import PromptTemplate, load_prompt

OUTLINES = ((60, "brief_outline_kort"), (180, "brief_outline_middel"), (480, "brief_outline_lang"))


@dataclass(frozen=True)
class OutlineStep:
    """One step of a session outline: its share of the time, name and description."""

    weight: int
    title: PromptTemplate
    description: PromptTemplate


def parse_blocks(template: PromptTemplate) -> dict[str, list[str]]:
    """The non-comment lines of a block file, per [key]."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in template.text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and current is None):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = blocks.setdefault(stripped[1:-1].strip(), [])
        elif current is None:
            raise ConfigError(f"Promptbestand '{template.name}': tekst voor het eerste [blok].")
        elif stripped:
            current.append(stripped)
    return blocks


class BriefTemplates:
    """Loads the brief_* prompt files once and renders their parts."""

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir
        self.texts = self._blocks("brief_texts")
        self.queries = self._blocks("brief_queries")
        self.questions = self._blocks("brief_questions")

    def _blocks(self, name: str) -> dict[str, list[str]]:
        return parse_blocks(load_prompt(self.prompts_dir, name))

    def text(self, key: str, **values: object) -> str:
        """A fixed text block, rendered; ConfigError when it or a variable is missing."""
        lines = self._block(self.texts, "brief_texts", key)
        return PromptTemplate(key, "\n".join(lines)).render(**values).strip()

    def query_lines(self, key: str, **values: str) -> list[str]:
        """The queries of a block; lines using $sector are left out when it is empty."""
        return _render_lines(self._block(self.queries, "brief_queries", key), values, ("sector",))

    def question_lines(self, key: str, **values: str) -> list[str]:
        """The discussion questions of a block, rendered."""
        return _render_lines(self._block(self.questions, "brief_questions", key), values, ())

    def outline(self, duration: int) -> list[OutlineStep]:
        """The outline steps for a session of this many minutes."""
        name = next(n for limit, n in OUTLINES if duration <= limit or limit == OUTLINES[-1][0])
        steps = []
        for line in load_prompt(self.prompts_dir, name).text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3 or not parts[0].isdigit():
                raise ConfigError(f"Promptbestand '{name}': regel heeft niet de vorm a | b | c.")
            title, description = PromptTemplate(name, parts[1]), PromptTemplate(name, parts[2])
            steps.append(OutlineStep(int(parts[0]), title, description))
        return steps

    @staticmethod
    def _block(blocks: dict[str, list[str]], name: str, key: str) -> list[str]:
        if key not in blocks:
            raise ConfigError(f"Promptbestand '{name}' mist het blok [{key}].")
        return blocks[key]


def _render_lines(
    lines: list[str], values: dict[str, str], skip_if_empty: tuple[str, ...]
) -> list[str]:
    out = []
    for line in lines:
        template = PromptTemplate("regel", line)
        if any(v in skip_if_empty and not values.get(v) for v in template.variables):
            continue
        out.append(template.render(**values))
    return out
