"""Fixed phrases and prompts from prompts/, picked by answer language."""

from __future__ import annotations

from pathlib import Path

from assistant.core.prompts import PromptTemplate, load_prompt


class Phrases:
    """Loads prompts/<name>.txt (Dutch) or prompts/<name>_en.txt (English), once each."""

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir
        self._cache: dict[str, PromptTemplate] = {}

    def template(self, name: str, language: str = "nl") -> PromptTemplate:
        """The template for a language; Dutch when no translation exists."""
        key = f"{name}_{language}" if language != "nl" else name
        if key not in self._cache:
            path = self.prompts_dir / f"{key}.txt"
            self._cache[key] = load_prompt(self.prompts_dir, key if path.is_file() else name)
        return self._cache[key]

    def render(self, name: str, language: str = "nl", **values: object) -> str:
        """Render a phrase; raises ConfigError when a variable is missing."""
        return self.template(name, language).render(**values).strip()
