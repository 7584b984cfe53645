"""Turn a follow-up question plus the conversation so far into a standalone search query.

Without an LLM a rule-based method is used, replayed over the whole history so that
chains of follow-ups keep their topic:

- an ordinal reference ("het eerste onderdeel", "de tweede", "punt 3", "the first one")
  is replaced by the item it points at: a numbered item of the previous answer ("1.
  Dynamisch managen: ..."), else of the latest numbered list in the conversation, else
  the n-th quoted line / cited sentence of the previous answer;
- a question the assistant refused (its answer cites nothing) adds nothing to the topic;
- a question that leans on the context (pronoun adverbs such as "daarmee", "dat",
  "en daarnaast?", or fewer than three content words) gets the topic of the previous
  questions and a few key words of the previous answer added (the key words only for
  the question right after that answer, so they do not pile up);
- anything else is already standalone and is left alone.

With an LLM the condense prompt (prompts/condense.txt) does the rewriting; when the
model fails or returns nothing usable the rule-based query is used.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import lru_cache

from stop_words import get_stop_words

from assistant.answering.types import Turn
from assistant.core.text import MARKER_GROUP, stems

log = logging.getLogger(__name__)

_ORDINALS = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "laatste": -1, "last": -1,
}  # fmt: skip
_ORDINAL_PHRASE = re.compile(
    r"\b(?:het|de|dat|die|the)\s+(" + "|".join(_ORDINALS) + r")\b(?:\s+(?:onderdeel|punt|"
    r"item|factor|advies|aanbeveling|stap|deel|tip|one|point|part|item))?",
    re.IGNORECASE,
)
_NUMBERED_PHRASE = re.compile(
    r"\b(?:punt|onderdeel|nummer|item|aanbeveling|advies|point|number|part)\s+(\d{1,2})\b",
    re.IGNORECASE,
)
_ANAPHORA = frozenset(
    """dat dit daarmee daarvan daarover daarbij daarin daarnaast daardoor daarvoor daaraan
    daarop daaruit daartegen daarna daarom hiermee hiervan hierover hierbij hierin hieraan
    hierop hieruit hiervoor ervan erover erbij ermee erin eraan erop eruit ervoor ze zij
    hun hen die deze dan verder anders nog meer voorbeeld voorbeelden bedoelen bedoeld
    it that this they them those these there then else besides more example examples
    mean""".split()
)
# 'dat'/'die' opening a clause ("Hoe zorg ik dat mijn personeel ...", "ondernemers die
# hier ...") is a conjunction or relative pronoun, not a reference to the earlier answer.
_CONJUNCTION = re.compile(
    r"\b(?:dat|die)\s+(?=(?:ik|je|jij|u|we|wij|ze|zij|hij|het|de|een|er|hier|mijn|onze|ons|"
    r"hun|alle|iedereen|mensen|medewerkers|personeel|niet|al|ook|nog|zelf)\b)",
    re.IGNORECASE,
)
# Labels the pipeline writes into passages ('Voetnoot 7: ...') say nothing about a topic.
_LABELS = frozenset({"voetnoot", "figuur", "tabel", "bron"})
_LEADING_AND = re.compile(r"^\s*(?:en|and|maar|but|oké|ok)\b[,\s]*", re.IGNORECASE)
_NUMBERED_ITEM = re.compile(r"(?:^|[\s\"“])(\d{1,2})[.)]\s+([^\n]+?)(?=\s+\d{1,2}[.)]\s|$|\n)")


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    return frozenset(get_stop_words("dutch")) | frozenset(get_stop_words("english"))


def rule_based_query(question: str, history: list[Turn]) -> str:
    """Standalone query for the question, replaying the history's user turns.

    The topic carries over from question to question; key words of an answer are added
    only for the question right after it, so they do not pile up over a conversation.
    """
    topic, last_answer, before = "", "", ""
    last_list = ("", "")  # the latest answer with a numbered list, and its question
    for turn in history:
        if turn.role == "user":
            before = topic
            topic, _ = _condense_one(turn.content, topic, last_answer, last_list)
        else:
            if not MARKER_GROUP.search(turn.content):
                # an answer that cites nothing (a refusal): its question is no topic to
                # carry on ("En wat als ze geen zin hebben ...?" after a refused one on
                # sick leave goes on from the question before it)
                topic = before
            last_answer = turn.content
            if isinstance(answer_items(turn.content), dict):
                last_list = (turn.content, topic)
    query, keywords = _condense_one(question, topic, last_answer, last_list)
    return f"{query} {keywords}".strip() if keywords else query


def _condense_one(
    question: str, topic: str, previous_answer: str, last_list: tuple[str, str] = ("", "")
) -> tuple[str, str]:
    """(the question with its topic made explicit, key words of the previous answer).
    `last_list` is the latest answer with a numbered list and the topic it answered: an
    ordinal may mean an item of it."""
    if not topic:
        return question, ""
    resolved, about = _resolve_ordinal(question, previous_answer, last_list, topic)
    if resolved:
        if len(stems(resolved)) < 3:
            return f"{resolved.rstrip('?. ')} ({about.rstrip('?. ')})", ""
        return resolved, ""
    if not _leans_on_context(question):
        return question, ""
    keywords = [w for w in key_words(previous_answer) if w.lower() not in topic.lower()]
    tail = _LEADING_AND.sub("", question).strip()
    return f"{topic.rstrip('?. ')} {tail}".strip(), " ".join(keywords[:3])


def _leans_on_context(question: str) -> bool:
    words = {w.lower() for w in re.findall(r"\w+", _CONJUNCTION.sub(" ", question))}
    return bool(words & _ANAPHORA) or bool(_LEADING_AND.match(question)) or len(stems(question)) < 3


def _resolve_ordinal(
    question: str, previous_answer: str, last_list: tuple[str, str], topic: str
) -> tuple[str, str]:
    """(the question with an ordinal reference replaced by the item it means, or '';
    the topic that item belongs to). The item comes from the previous answer's numbered
    list, else from the latest numbered list of the conversation, with that list's topic
    ("And the last one?" after "Tell me more about the second one" means the last of the
    four parts), else from the previous answer's quotes."""
    match = _ORDINAL_PHRASE.search(question) or _NUMBERED_PHRASE.search(question)
    if not match:
        return "", topic
    token = match.group(1).lower()
    index = int(token) if token.isdigit() else _ORDINALS[token]
    items, about = answer_items(previous_answer), topic
    if not isinstance(items, dict) and last_list[0]:
        items, about = answer_items(last_list[0]), last_list[1]
    item = pick_item(items, index)
    if not item:
        return "", topic
    replaced = question[: match.start()] + item + question[match.end() :]
    return _LEADING_AND.sub("", replaced).strip(), about


def pick_item(items: dict[int, str] | list[str], index: int) -> str:
    """Item number `index` (1-based; -1 = last) from numbered items or an ordered list."""
    if isinstance(items, dict):
        if index == -1 and items:
            return items[max(items)]
        return items.get(index, "")
    if index == -1:
        return items[-1] if items else ""
    return items[index - 1] if 0 < index <= len(items) else ""


def answer_items(answer: str) -> dict[int, str] | list[str]:
    """Numbered items of an answer ({1: 'Dynamisch managen', ...}), else its quoted lines."""
    body = MARKER_GROUP.sub("", answer)
    numbered: dict[int, str] = {}
    for number, text in _NUMBERED_ITEM.findall(body):
        numbered.setdefault(int(number), _head(text))
    if len(numbered) >= 2:
        return numbered
    lines = [ln.strip(' -•*"“”') for ln in answer.splitlines() if MARKER_GROUP.search(ln)]
    return [_head(MARKER_GROUP.sub("", ln)) for ln in lines if ln]


def _head(text: str) -> str:
    """The label of an item: the text before its first colon, or its first eight words."""
    text = text.strip(' "“”')
    head = text.split(":", 1)[0] if ":" in text[:80] else " ".join(text.split()[:8])
    return head.strip(" ,;.")


def key_words(answer: str, n: int = 5) -> list[str]:
    """The most frequent content words of an answer's cited lines (markers dropped). An
    answer that cites nothing (a refusal) has none: its words are the refusal's own."""
    quoted = " ".join(ln for ln in answer.splitlines() if MARKER_GROUP.search(ln))
    words = [w for w in re.findall(r"[^\W\d_]{4,}", MARKER_GROUP.sub("", quoted))]
    counts = Counter(w.lower() for w in words if w.lower() not in _stop() | _LABELS)
    return [w for w, _ in counts.most_common(n)]


def format_history(history: list[Turn], max_turns: int = 6, max_chars: int = 600) -> str:
    """History as 'Gebruiker: ...' / 'Assistent: ...' lines for the condense prompt."""
    lines = []
    for turn in history[-max_turns:]:
        who = "Gebruiker" if turn.role == "user" else "Assistent"
        lines.append(f"{who}: {turn.content.strip()[:max_chars]}")
    return "\n".join(lines)
