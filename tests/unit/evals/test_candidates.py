"""Thumbs-down feedback becomes candidate cases that load as a question set."""

from __future__ import annotations

import json

from assistant.cli import main
from assistant.feedback import FeedbackStore
from evals.candidates import NO_REASON, export_candidates, known_cases
from evals.sets import load_set, parse_lines


class FakeFeedback:
    """The reading side of the feedback store, in memory."""

    def __init__(self, items: list[dict]) -> None:
        self.items = items

    def list(self, rating=None, limit=None) -> list[dict]:
        return [i for i in self.items if rating is None or i["rating"] == rating]


ITEMS = [
    {"id": 1, "question": "Wat is sociale innovatie?", "answer": "Iets [1]", "rating": "up"},
    {
        "id": 2,
        "question": "Hoe krijg ik mijn mensen betrokken?",
        "answer": "Geen idee.",
        "rating": "down",
        "reason": "Bron klopt niet",
    },
    {
        "id": 3,
        "question": "En het eerste?",
        "answer": "x",
        "rating": "down",
        "reason": "",
        "history": [{"role": "user", "content": "Welke onderdelen?"}],
    },
    {"id": 4, "question": "hoe krijg ik mijn  mensen betrokken?", "answer": "", "rating": "down"},
    {"id": 5, "question": "How do I engage staff?", "answer": "", "rating": "down"},
]


def test_only_thumbs_down_become_candidates_in_the_set_format(tmp_path):
    out = tmp_path / "candidates.jsonl"
    assert export_candidates(FakeFeedback(ITEMS), out) == 3  # id 4 repeats id 2
    cases = load_set(out)
    assert [c.id for c in cases] == ["feedback-2", "feedback-3", "feedback-5"]
    assert all(c.tags == ("feedback",) for c in cases)
    assert cases[0].note == "Bron klopt niet | gegeven antwoord: Geen idee."
    assert cases[1].history == ({"role": "user", "content": "Welke onderdelen?"},)
    assert cases[1].note.startswith(NO_REASON)
    assert cases[2].lang == "en"


def test_questions_already_in_a_set_are_skipped(tmp_path):
    sets = tmp_path / "sets"
    sets.mkdir()
    (sets / "dev.jsonl").write_text(
        json.dumps({"id": "d1", "question": "Hoe krijg ik mijn mensen betrokken?"}) + "\n",
        encoding="utf-8",
    )
    (sets / "kapot.jsonl").write_text("{geen json\n", encoding="utf-8")  # skipped, not fatal
    out = tmp_path / "candidates.jsonl"
    assert export_candidates(FakeFeedback(ITEMS), out, known_cases(sets)) == 2
    assert "feedback-2" not in out.read_text()


def test_cli_export_reads_the_real_feedback_store(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    store = FeedbackStore(data / "feedback.sqlite3")
    store.add("Wat kost een cao?", "Weet ik niet.", [], "down", "Had moeten weigeren")
    store.add("Wat is sociale innovatie?", "Vernieuwing [1]", [], "up")
    out = tmp_path / "candidates.jsonl"
    assert main(["feedback", "export", "--out", str(out), "--sets-dir", str(tmp_path)]) == 0
    [case] = parse_lines(out.read_text(encoding="utf-8").splitlines())
    assert case.question == "Wat kost een cao?" and case.note.startswith("Had moeten weigeren")
    assert "1 kandidaatvragen" in capsys.readouterr().out
