"""Prompt files under prompts/ with named variables; rendering fails on a missing one."""

from __future__ import annotations

import string
from pathlib import Path

from assistant.core.errors import ConfigError


class PromptTemplate:
    """A text template with $name / ${name} variables (string.Template syntax)."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._template = string.Template(text)

    @property
    def variables(self) -> set[str]:
        """Names the template expects."""
        return set(self._template.get_identifiers())

    def render(self, **values: object) -> str:
        """Fill every variable; raises ConfigError naming any that is missing."""
        missing = self.variables - set(values)
        if missing:
            raise ConfigError(
                f"Prompt '{self.name}' mist waarde(n) voor: {', '.join(sorted(missing))}"
            )
        return self._template.substitute({k: str(v) for k, v in values.items()})


def load_prompt(prompts_dir: Path, name: str) -> PromptTemplate:
    """Read prompts_dir/<name>.txt (or the exact file name if it has a suffix)."""
    path = prompts_dir / (name if Path(name).suffix else f"{name}.txt")
    if not path.is_file():
        raise ConfigError(f"Promptbestand ontbreekt: {path}")
    return PromptTemplate(path.stem, path.read_text(encoding="utf-8"))
