"""Document metadata: title, company and reporting period, detected from the text and
overridable in a sidecar file next to the document.

Sidecar: for `acme-1h2023.pdf`, the file `acme-1h2023.meta.json` (or `acme-1h2023.pdf.meta.json`)
holding a JSON object of strings, e.g. {"company": "Acme Robotics", "period": "1H2023"}. Keys it
sets win over detection; other keys are kept as extra metadata. Sidecars are not documents.

Periods use the labels of qa.text.periods: "1H2022", "2H2022", "1Q2023", "FY2022".
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

SIDECAR_SUFFIX = ".meta.json"
# A sidecar holds a few short strings; a bigger one is refused without being read.
MAX_SIDECAR_BYTES = 64 * 1024
# Detection reads the opening of a release, where it says whose results for which period.
LEAD_CHARS = 3000
_YEAR = r"((?:19|20)\d{2})"
_DAY_MONTH = (
    r"(?:\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)|(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+\d{1,2})"
)
_MONTH_NUMBER = {"march": 3, "june": 6, "september": 9, "december": 12}

# The release's own reporting period: "(results) for the six months ended 30 June 2022".
_ENDED = re.compile(
    rf"\b(?P<n>three|six|nine|twelve)\s+months\s+ended\s+(?P<date>{_DAY_MONTH})\s*,?\s*"
    rf"(?P<y>(?:19|20)\d{{2}})|\byear\s+ended\s+(?P<ydate>{_DAY_MONTH})\s*,?\s*"
    rf"(?P<yy>(?:19|20)\d{{2}})",
    re.I,
)
_SHORT = re.compile(
    rf"(?<![\w])(?:(?P<h>[12])H|H(?P<h2>[12]))\s?{_YEAR}\b|(?<![\w])(?:(?P<q>[1-4])Q|Q(?P<q2>[1-4]))"
    rf"\s?{_YEAR}\b|(?<![\w])FY\s?{_YEAR}\b|\b(?P<half>first|second)\s+half\s+(?:of\s+)?{_YEAR}"
)
_KIND_YEAR = re.compile(
    rf"\b{_YEAR}\s+(?P<kind>interim|annual|full[- ]year|first[- ]quarter|third[- ]quarter)\s+"
    r"results\b|\b(?P<kind2>interim|annual)\s+results\s+(?:for\s+)?(?:the\s+year\s+)?" + _YEAR,
    re.I,
)
# "Zenith Vision Group Inc. ("Zenith", or the "Company", ...)" / "Acme Ltd (the "Company")".
_COMPANY_DEFINED = re.compile(
    r"([A-Z][\w&.'-]*(?:[ \t]+(?:[A-Z][\w&.'-]*|&|and|of))*?[ \t]+"
    r"(?:Inc\.?|Limited|Ltd\.?|Corporation|Corp\.?|Group|Holdings|plc|PLC|AG|SE|S\.A\.|N\.V\.|"
    r"Co\.,?\s+Ltd\.?|Company))\s*[(（]",
)
# "Acme Robotics Reports 2023 Interim Results" -> "Acme Robotics".
_TITLE_COMPANY = re.compile(
    r"^(?P<name>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4}?)\s+(?:Group\s+)?"
    r"(?:Reports|Announces|Posts|Delivers|Releases|Publishes)\b"
)
_SUFFIXES = re.compile(
    r"\s+(?:Inc\.?|Limited|Ltd\.?|Corporation|Corp\.?|Group|Holdings|plc|PLC|AG|SE|S\.A\.|"
    r"N\.V\.|Co\.,?\s+Ltd\.?|Company)$"
)


def detect_period(text: str) -> str:
    """The reporting period a release is about, from its opening; "" when it does not say.

    >>> detect_period("announced its interim results for the six months ended 30 June 2022.")
    '1H2022'
    >>> detect_period("Results for the year ended December 31, 2021"), detect_period("Q1 2023")
    ('FY2021', '1Q2023')
    >>> detect_period("Acme Reports 2023 Interim Results")
    '1H2023'
    """
    lead = text[:LEAD_CHARS]
    if match := _ENDED.search(lead):
        if match.group("ydate"):
            return f"FY{match.group('yy')}"
        months = {"three": 3, "six": 6, "nine": 9, "twelve": 12}[match.group("n").lower()]
        end_month = next(
            (n for name, n in _MONTH_NUMBER.items() if name in match.group("date").lower()), 0
        )
        year = match.group("y")
        if months == 12:
            return f"FY{year}"
        if months == 6:
            return f"{1 if end_month <= 6 else 2}H{year}"
        if months == 3:
            return f"{max(1, end_month // 3)}Q{year}"
        return f"9M{year}"
    if match := _KIND_YEAR.search(lead):
        year = match.group(1) or match.group(4)
        kind = (match.group("kind") or match.group("kind2")).lower()
        return {"interim": f"1H{year}", "annual": f"FY{year}", "first-quarter": f"1Q{year}",
                "first quarter": f"1Q{year}", "third-quarter": f"3Q{year}",
                "third quarter": f"3Q{year}"}.get(kind, f"FY{year}")  # fmt: skip
    counts: Counter[str] = Counter()
    for m in _SHORT.finditer(lead):
        if m.group("h") or m.group("h2"):
            counts[f"{m.group('h') or m.group('h2')}H{m.group(3)}"] += 1
        elif m.group("q") or m.group("q2"):
            counts[f"{m.group('q') or m.group('q2')}Q{m.group(6)}"] += 1
        elif m.group(7):
            counts[f"FY{m.group(7)}"] += 1
        else:
            counts[f"{1 if m.group('half').lower() == 'first' else 2}H{m.group(9)}"] += 1
    return counts.most_common(1)[0][0] if counts else ""


def detect_company(text: str, title: str = "") -> str:
    """The company a release is from: the name it defines ("X Inc. (the "Company")"), else the
    subject of a "X Reports ..." title; "" when neither is there.

    >>> detect_company('[HK] - Zenith Vision Group Inc. ("Zenith", or the "Company") today')
    'Zenith Vision Group Inc.'
    >>> detect_company("No name here.", "Acme Robotics Reports 2023 Interim Results")
    'Acme Robotics'
    """
    if match := _COMPANY_DEFINED.search(text[:LEAD_CHARS]):
        return " ".join(match.group(1).split())
    if match := _TITLE_COMPANY.match(title.strip()):
        return match.group("name")
    return ""


def company_names(company: str) -> set[str]:
    """Lower-case names a question may use for a company: the full name, without its legal
    suffix, and its first word when distinctive.

    >>> sorted(company_names("Zenith Group Inc."))
    ['zenith', 'zenith group', 'zenith group inc.']
    """
    full = " ".join(company.split()).lower()
    if not full:
        return set()
    names = {full}
    stripped = company
    while (shorter := _SUFFIXES.sub("", stripped)) != stripped:
        stripped = shorter
        names.add(" ".join(stripped.split()).lower())
    first = stripped.split()[0].lower() if stripped.split() else ""
    if len(first) >= 3 and first not in {"the", "new", "china", "global", "first", "united"}:
        names.add(first)
    return names


def sidecar_paths(path: Path) -> tuple[Path, Path]:
    """Where a document's sidecar may be: NAME.meta.json, then NAME.SUFFIX.meta.json."""
    return (
        path.with_name(path.stem + SIDECAR_SUFFIX),
        path.with_name(path.name + SIDECAR_SUFFIX),
    )


def find_sidecar(path: Path) -> Path | None:
    """The sidecar of a document, if one exists."""
    return next((p for p in sidecar_paths(path) if p.is_file()), None)


def is_sidecar(path: Path) -> bool:
    """True for a metadata sidecar (never a document)."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, str]:
    """A sidecar's key -> value strings; ValueError with a readable reason. Bounded: a sidecar
    over MAX_SIDECAR_BYTES is refused unread, and one nested too deeply for the JSON parser is
    refused with a reason (it raises RecursionError well before the stack runs out)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ValueError(f"its metadata file {path.name} cannot be read ({error})") from None
    if size > MAX_SIDECAR_BYTES:
        raise ValueError(f"its metadata file {path.name} is over {MAX_SIDECAR_BYTES // 1024} KB")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError(f"its metadata file {path.name} is nested too deeply") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"its metadata file {path.name} is not readable JSON ({error})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ValueError(f"its metadata file {path.name} must hold a JSON object")
    return {k: " ".join(str(v).split()) for k, v in data.items() if v is not None}


def prose(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the given (start, end) spans blanked, offsets kept: a release names
    itself in its prose; a name a table defines ("Apple Inc. (“Apple”)" as a row of
    customers) is a row, not the release's company.

    >>> prose("Acme Inc. (the Company) | Beta Inc. (Beta)", [(26, 42)])
    'Acme Inc. (the Company) |                 '
    """
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * len(chars[start:end])
    return "".join(chars)


def document_metadata(
    text: str,
    title: str,
    overrides: dict[str, str],
    tables: Sequence[tuple[int, int]] = (),
) -> dict[str, str]:
    """Title, company and period: detected (the company from the prose, outside the
    `tables`' spans), then overridden by the sidecar's values."""
    detected = {
        "title": title,
        "company": detect_company(prose(text, tables), title),
        "period": detect_period(f"{title}\n{text}"),
    }
    merged = {**detected, **overrides}
    return {k: v for k, v in merged.items() if v}
