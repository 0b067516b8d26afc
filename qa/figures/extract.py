"""Text -> Figures: every quantity a release states, typed, with what it measures and when.

`extract_figures` walks paragraphs and sentences; `qa.figures.quantities` reads each number's
surface (value, unit, kind, qualifier, change or level), and this module adds the context a reader
uses: the period (a cue in the sentence, one carried from an earlier sentence of the
paragraph, or the heading above a bullet list) and the metric (the noun phrase measured).

Decisions worth knowing:
- Bare years are periods, never figures ("Since 2018", "in 2019", "2022 Beijing Winter
  Olympics"); a date with a year is one `date` figure. Month names without a year ("as of
  June", "From March to May") are not dates: "May" is too often a verb.
- "six months" inside a period phrase ("in six months", "the six months ended ...") is the
  period, not a duration figure. Ordinals are ranks only after "rank(s)" ("ranks first").
- Numbers inside markup, URLs, e-mail addresses, paths, hex literals and identifiers
  (`window.__pwned=1`, `id="a3"`, `item_3`) are names, not figures (qa/text/textspans.py).
- A loss is stated as a positive amount with metric "net loss"; only an accounting
  parenthesis "(RMB 2.1 million)" or a minus sign makes a value negative.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from qa.figures.phrases import (
    CHANGE_NOUNS,
    COPULAS,
    MEASURE_NOUNS,
    PARTICIPLES,
    backward_np,
    forward_np,
    number_of,
    subject,
    tidy,
    word_before,
)
from qa.figures.quantities import NUMBER_RE, scan_dates, scan_number, scan_ranks
from qa.text.kinds import COUNT, CURRENCY, DATE, PERCENT, RANK
from qa.text.numerals import resolve_yen
from qa.text.periods import PeriodCue, find_period_cues
from qa.text.sentences import split_long
from qa.text.textspans import clause_end, clause_start, code_spans, paragraphs, sentences
from qa.types import Figure

# Bump when extraction changes: the index manifest records it and stored figures refresh.
FIGURES_VERSION = 4

# Verb near a date -> what the date is.
DATE_EVENTS: dict[str, str] = {
    "launched": "launch date", "launch": "launch date", "released": "release date",
    "announced": "announcement date", "delivered": "delivery date", "received": "receipt date",
    "signed": "signing date", "completed": "completion date", "opened": "opening date",
    "established": "establishment date", "founded": "founding date", "listed": "listing date",
    "acquired": "acquisition date", "published": "publication date",
}  # fmt: skip
_CONTRIBUTE = frozenset({"contributed", "contributes", "contributing", "contribute"})
# A sentence read for figure context is at most this long (real ones are a few hundred).
MAX_SENTENCE_CHARS = 2000
_LIST_SEP_RE = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)\s*$")
_ITEMS_RE = re.compile(r"^(?P<pre>.*\b(?:of|from|for|in)\s+)(?P<items>.+)$")
_REFERENCE_RE = re.compile(r"\bthe (?:two|three|four|both) [\w-]+|\bboth [\w-]+")


class BudgetExceeded(ValueError):
    """Figure extraction ran past its deadline (the build skips the file with this reason)."""


def extract_figures(text: str, doc_id: str = "", *, deadline: float | None = None) -> list[Figure]:
    """Every figure in `text`, in order; `text[f.start:f.end] == f.text` always.

    With a `deadline` (a `time.monotonic()` value), BudgetExceeded is raised once it passes:
    one file may not hold the index writer for longer than its budget.

    >>> t = "Business highlights in 1H2022:\\n● The Company's total revenue was RMB1.42 billion."
    >>> [(f.text, f.value, f.unit, f.metric, f.period) for f in extract_figures(t)]
    [('RMB1.42 billion', 1420000000.0, 'RMB', 'total revenue', '1H2022')]
    """
    yen = resolve_yen(text)
    figures: list[Figure] = []
    for para in paragraphs(text):
        heading_cues = find_period_cues(para.heading)
        heading_period = heading_cues[0].label if heading_cues else None
        carried: str | None = None
        items: list[str] = []
        for s, e in _bounded(text, sentences(text, para.start, para.end)):
            if deadline is not None and time.monotonic() > deadline:
                raise BudgetExceeded(
                    f"is too slow to index (figure extraction passed its time budget at "
                    f"character {s:,} of {len(text):,}); split it into smaller files"
                )
            cues = [
                PeriodCue(c.start + s, c.end + s, c.label, c.carries)
                for c in find_period_cues(text[s:e])
            ]
            found = _scan_sentence(text, s, e, yen, doc_id, cues)
            described: list[Figure] = []
            previous: str | None = None
            for figure in found:
                figure = _describe(text, s, e, figure, previous)
                period = _period(text, figure, cues, found, carried or heading_period)
                described.append(replace(figure, period=period))
                if figure.kind != DATE:
                    previous = figure.metric
            figures += _respectively(text, e, described, items)
            carried = next((c.label for c in reversed(cues) if c.carries), carried)
    return figures


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentences longer than MAX_SENTENCE_CHARS cut at whitespace: each figure reads its
    sentence for context, so a file with no full stops would cost figures x its length."""
    bounded: list[tuple[int, int]] = []
    for s, e in spans:
        if e - s > MAX_SENTENCE_CHARS:
            bounded += split_long(text, s, e, MAX_SENTENCE_CHARS)
        else:
            bounded.append((s, e))
    return bounded


def _scan_sentence(
    text: str, s: int, e: int, yen: str, doc_id: str, cues: list[PeriodCue]
) -> list[Figure]:
    code = code_spans(text, s, e)
    found = [
        f
        for f in scan_dates(text, s, e, doc_id) + scan_ranks(text, s, e, doc_id)
        if not any(a <= f.start < b for a, b in code)
    ]
    blocked = [(f.start, f.end) for f in found] + [(c.start, c.end) for c in cues] + code
    for m in NUMBER_RE.finditer(text, s, e):
        if any(a <= m.start() < b for a, b in blocked):
            continue
        figure = scan_number(text, m, s, e, yen, doc_id)
        if figure is not None:
            found.append(figure)
            blocked.append((figure.start, figure.end))
    return sorted(found, key=lambda f: f.start)


def _period(
    text: str, f: Figure, cues: list[PeriodCue], found: list[Figure], inherited: str | None
) -> str | None:
    """A cue right after the figure ("26% in six months"), else the nearest cue before it in
    the sentence, else the paragraph's carried period or the bullet list's heading."""
    if f.kind == DATE:
        return None
    for cue in cues:
        if (
            cue.start >= f.end
            and re.fullmatch(r"[^,;:]{0,25}", text[f.end : cue.start])
            and not any(f.end <= g.start < cue.start for g in found)
        ):
            return cue.label
    before = [c for c in cues if c.end <= f.start]
    return before[-1].label if before else inherited


def _np_before(text: str, lo: int, pos: int) -> str:
    """The noun phrase right before a figure, looking through one "of" ("margin of 66%")."""
    via_of = re.search(r"\s+of\s+$", text[lo:pos])
    return backward_np(text, lo, lo + via_of.start() if via_of else pos)


def _describe(text: str, s: int, e: int, f: Figure, previous: str | None) -> Figure:
    """Fill `metric` (and a count's unit when it is written elsewhere in the sentence)."""
    cs, ce = clause_start(text, s, f.start), clause_end(text, f.end, e)
    if f.kind == DATE:
        return replace(f, metric=_date_metric(text, s, e, f))
    if f.kind == RANK:
        m = re.match(r"\s+in\s+(?P<det>the\s+)?", text[f.end : e])
        np = forward_np(text, f.end + m.end(), e, of=True) if m else ""
        return replace(f, metric=f"rank in {m['det'] or ''}{np}" if m and np else "rank")
    if f.kind == COUNT:
        metric, unit = _count_metric(text, s, cs, ce, f)
        return replace(f, metric=metric or previous, unit=unit)
    return replace(f, metric=_measure_metric(text, cs, ce, f) or previous)


def _count_metric(text: str, s: int, cs: int, ce: int, f: Figure) -> tuple[str | None, str]:
    unit = f.unit
    np = _np_before(text, cs, f.start)
    head = np.split()[-1].lower() if np else ""
    if head in MEASURE_NOUNS and head != "number":
        return tidy(np), unit or MEASURE_NOUNS[head]  # "population of 20 million people"
    before = word_before(text, cs, f.start)
    if before in COPULAS and (subj := subject(text, cs, f.start)):
        return subj, unit  # "the cumulative shipments are nearly 1 million units"
    if unit:
        metric = forward_np(text, f.end - len(unit), ce, max_words=3, of=True)
        return (f"{metric} {PARTICIPLES[before]}" if before in PARTICIPLES else metric), unit
    for lo in (cs, s):
        if counted := number_of(text, lo, f.start):
            return counted  # "bringing the total number of patents to 12,502"
    were = re.match(r"\s+(?:were|are|was|is)\s+", text[f.end : ce])
    if were and (np := forward_np(text, f.end + were.end(), ce)):
        return np, np  # "16 were mega cities"
    return subject(text, cs, f.start) or None, ""


def _measure_metric(text: str, cs: int, ce: int, f: Figure) -> str | None:
    after_of = re.match(r"\s+of\s+(?:the\s+)?(?=[A-Za-z])", text[f.end : ce])
    if after_of and (np := forward_np(text, f.end + after_of.end(), ce, max_words=8)):
        if f.kind != PERCENT:
            return np  # "1.745 exaFLOPS of computing power"
        if word_before(text, cs, f.start) in _CONTRIBUTE and (subj := subject(text, cs, f.start)):
            return f"{np} contribution of {subj}"  # "Overseas markets contributed 19% of revenue"
        return f"share of {np}"  # "accounting for 15% of ... computing power scale"
    in_np = re.match(r"\s+in\s+(?=[a-z])", text[f.end : ce])
    if f.kind == CURRENCY and in_np:
        return forward_np(text, f.end + in_np.end(), ce) or None  # "RMB2 billion in revenue"
    np = forward_np(text, f.end, ce)
    if np and np.split()[-1].lower() not in CHANGE_NOUNS:
        return np  # "over 90% accuracy", "1 exaFLOPS capacity"
    np = _np_before(text, cs, f.start)
    if np and np.split()[-1].lower() not in CHANGE_NOUNS:
        return tidy(np)  # "gross profit margin of 66%", "contract value exceeding RMB1 billion"
    return subject(text, cs, f.start) or None  # "Net loss was RMB3.21 billion"


def _date_metric(text: str, s: int, e: int, f: Figure) -> str:
    """What a date is: "reporting date" (as of), "period end" (ended), "release date" (a
    dateline "[Hong Kong, 25 August 2022]"), else the nearest event verb in the sentence."""
    left = text[s : f.start]
    if re.search(r"\bas\s+(?:of|at)\s+$", left, re.I):
        return "reporting date"
    if re.search(r"\b(?:ended|ending)\s+$", left, re.I):
        return "period end"
    if re.search(r"\[[^\]]*,\s*$", left) and text[f.end : f.end + 1] == "]":
        return "release date"
    best, distance = "date", len(text)
    for m in re.finditer(r"[A-Za-z]+", text[s:e]):
        word = m.group(0).lower()
        gap = abs(s + m.start() - f.start)
        if word in DATE_EVENTS and gap < distance:
            best, distance = DATE_EVENTS[word], gap
    return best


def _respectively(text: str, e: int, found: list[Figure], items: list[str]) -> list[Figure]:
    """Give each figure of "A and B accounted for 21% and 9% respectively" its own metric;
    `items` remembers A and B so "the two segments" later in the paragraph resolves."""
    result = list(found)
    group: list[int] = []
    ends: list[Figure | None] = [*found, None]  # a sentinel closes the last group
    for i, f in enumerate(ends):
        prev = found[group[-1]] if group else None
        if (
            f is not None
            and prev is not None
            and f.kind != DATE
            and (_LIST_SEP_RE.fullmatch(text[prev.end : f.start]))
        ):
            group.append(i)
            continue
        if (
            len(group) > 1
            and prev is not None
            and prev.metric
            and re.match(r"\s*,?\s*respectively\b", text[prev.end : e])
        ):
            _split(result, group, prev.metric, items)
        group = [i] if f is not None and f.kind != DATE else []
    return result


def _split(result: list[Figure], group: list[int], metric: str, items: list[str]) -> None:
    m = _ITEMS_RE.match(metric)
    parts = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m["items"]) if m else []
    if m and len(parts) == len(group):
        items[:] = parts
        for index, part in zip(group, parts, strict=True):
            result[index] = replace(result[index], metric=m["pre"] + part)
        return
    ref = _REFERENCE_RE.search(metric)
    if ref and len(items) == len(group):
        for index, part in zip(group, items, strict=True):
            result[index] = replace(result[index], metric=metric.replace(ref.group(0), part))
