"""Figure extraction: the release's complete hand-checked table, forms beyond the release,
things that look numeric but are not quantities, periods, and property-based robustness."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.figures.extract import extract_figures
from qa.types import Figure

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "corpus" / "sensetime-2022-interim-results.txt"
TABLE = Path(__file__).parent / "data" / "release_figures.jsonl"
FIELDS = ("value", "unit", "kind", "qualifier", "role", "direction", "period", "metric")


def load_table() -> list[dict[str, object]]:
    return [json.loads(line) for line in TABLE.read_text(encoding="utf-8").splitlines() if line]


def same(expected: object, actual: object) -> bool:
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9)
    return expected == actual


def only(text: str) -> Figure:
    figures = extract_figures(text)
    assert len(figures) == 1, [f.text for f in figures]
    return figures[0]


# --- the release, figure by figure ------------------------------------------------------------


def test_table_rows_point_at_their_text() -> None:
    doc = RELEASE.read_text(encoding="utf-8")
    for row in load_table():
        start = int(row["start"])  # type: ignore[call-overload]
        assert doc[start : start + len(str(row["text"]))] == row["text"], row


def test_release_figures_reproduce_the_hand_checked_table_exactly() -> None:
    doc = RELEASE.read_text(encoding="utf-8")
    expected = {(int(r["start"]), str(r["text"])): r for r in load_table()}  # type: ignore[call-overload]
    found = {(f.start, f.text): f for f in extract_figures(doc, "sensetime")}
    hits = expected.keys() & found.keys()
    precision = len(hits) / len(found) if found else 0.0
    recall = len(hits) / len(expected)
    print(f"\nrelease figures: {len(expected)} expected, {len(found)} extracted, "
          f"precision {precision:.3f}, recall {recall:.3f}")  # fmt: skip
    field_errors = [
        f"{key[1]!r}@{key[0]} {name}: expected {expected[key][name]!r}, got "
        f"{getattr(found[key], name)!r}"
        for key in sorted(hits)
        for name in FIELDS
        if not same(expected[key][name], getattr(found[key], name))
    ]
    assert not sorted(found.keys() - expected.keys()), "extracted but not in the table"
    assert not sorted(expected.keys() - found.keys()), "in the table but not extracted"
    assert precision == 1.0 and recall == 1.0
    assert not field_errors, "\n".join(field_errors)


def test_every_release_figure_slices_back_to_its_text_and_carries_the_doc_id() -> None:
    doc = RELEASE.read_text(encoding="utf-8")
    for figure in extract_figures(doc, "sensetime"):
        assert doc[figure.start : figure.end] == figure.text
        assert figure.doc_id == "sensetime"


def test_figures_of_one_sentence_match_the_whole_document_run() -> None:
    sentence = "The Company's total revenue was RMB1.42 billion, with gross profit margin of 66%."
    assert [(f.text, f.metric) for f in extract_figures(sentence)] == [
        ("RMB1.42 billion", "total revenue"),
        ("66%", "gross profit margin"),
    ]


def test_to_dict_writes_percent_as_the_release_does() -> None:
    data = only("Gross profit margin was 66%.").to_dict()
    assert (data["value"], data["unit"], data["kind"]) == (66, "%", "percent")


# --- forms the release does not contain ----------------------------------------------------------

BEYOND = [
    ("Revenue was RMB1,420.5 million.", "RMB1,420.5 million", 1.4205e9, "RMB", "currency", {}),
    ("Net profit reached US$1.2bn.", "US$1.2bn", 1.2e9, "USD", "currency", {"scale": "bn"}),
    ("Sales were HK$320 million.", "HK$320 million", 3.2e8, "HKD", "currency", {}),
    ("Revenue was RMB 3.2 billion.", "RMB 3.2 billion", 3.2e9, "RMB", "currency", {}),
    ("Revenue was CNY 5 million.", "CNY 5 million", 5e6, "RMB", "currency", {}),
    ("Revenue was EUR 40 million.", "EUR 40 million", 4e7, "EUR", "currency", {}),
    ("The deal was worth $5m.", "$5m", 5e6, "USD", "currency", {}),
    ("The market is worth 1.2 trillion yuan.", "1.2 trillion yuan", 1.2e12, "RMB", "currency", {}),
    ("Revenue in China was ¥3.2 billion.", "¥3.2 billion", 3.2e9, "RMB", "currency", {}),
    ("Sales in Japan were ¥500 million.", "¥500 million", 5e8, "JPY", "currency", {}),
    ("Other losses were (RMB 2.1 million).", "(RMB 2.1 million)", -2.1e6, "RMB", "currency", {}),
    ("Cash was RMB 500,000.", "RMB 500,000", 5e5, "RMB", "currency", {}),
    ("Guidance is RMB1-2 billion.", "RMB1-2 billion", 1e9, "RMB", "currency", {"high": 2e9}),
    (
        "Gross margin improved by 3.1 percentage points.",
        "3.1 percentage points",
        3.1,
        "pp",
        "percentage_points",
        {"role": "change", "direction": "increase"},
    ),
    ("Margin rose 40 bps.", "40 bps", 40, "bp", "basis_points", {"role": "change"}),
    (
        "Revenue decreased 5% year-over-year.",
        "5%",
        5,
        "%",
        "percent",
        {"role": "change", "direction": "decrease", "metric": "revenue"},
    ),
    (
        "Revenue -12% year-over-year.",
        "-12%",
        -12,
        "%",
        "percent",
        {"role": "change", "direction": "decrease"},
    ),
    ("Operating margin was -12%.", "-12%", -12, "%", "percent", {"role": "level"}),
    (
        "Revenue is expected to grow 10–15% next year.",
        "10–15%",
        10,
        "%",
        "percent",
        {"high": 15, "role": "change", "direction": "increase"},
    ),
    ("Margin will be 10%–15%.", "10%–15%", 10, "%", "percent", {"high": 15}),
    (
        "The company has 3 thousand employees.",
        "3 thousand employees",
        3000,
        "employees",
        "count",
        {},
    ),
    ("It has 25k customers.", "25k customers", 25000, "customers", "count", {}),
    ("Orders reached 7.5 million units.", "7.5 million units", 7.5e6, "units", "count", {}),
    ("We opened twenty-five stores.", "twenty-five stores", 25, "stores", "count", {}),
    ("Throughput improved 2.5-fold.", "2.5-fold", 2.5, "x", "multiplier", {}),
    ("Capacity reached 3 petaFLOPS.", "3 petaFLOPS", 3, "petaFLOPS", "compute", {}),
    ("The campus covers 5,000 sq m.", "5,000 sq m", 5000, "square meters", "area", {}),
    ("The project took 18 months.", "18 months", 18, "months", "duration", {}),
    ("It is No. 2 in China.", "No. 2", 2, "rank", "rank", {}),
    (
        "Revenue was about RMB5 billion.",
        "about RMB5 billion",
        5e9,
        "RMB",
        "currency",
        {"qualifier": "about"},
    ),
    (
        "Revenue grew by more than 20%.",
        "more than 20%",
        20,
        "%",
        "percent",
        {"qualifier": "more than", "role": "change"},
    ),
]


@pytest.mark.parametrize(("sentence", "text", "value", "unit", "kind", "extra"), BEYOND)
def test_forms_beyond_the_release(
    sentence: str, text: str, value: float, unit: str, kind: str, extra: dict[str, object]
) -> None:
    figure = only(sentence)
    assert (figure.text, figure.unit, figure.kind) == (text, unit, kind)
    assert math.isclose(figure.value, value, rel_tol=1e-9)
    for name, expected in extra.items():
        assert same(expected, getattr(figure, name)), name


def test_rmb_millions_and_billions_agree() -> None:
    assert math.isclose(
        only("Revenue was RMB1,420 million.").value, only("Revenue was RMB1.42 billion.").value
    )


# --- not quantities ---------------------------------------------------------------------------

NOT_FIGURES = [
    "SenseTime Group Inc. (stock code: 0020) today announced its results.",
    "It has held this position for years.[1]",
    "as stipulated in the 14th Five-Year Plan period.",
    "Our decision-making intelligent model in StarCraft 2 won.",
    "Sales of the PlayStation 5 console were launched.",  # a CamelCase product name, any
    "We have received China’s NMPA Type 3 and Type 2 medical machinery license.",
    "The Company received the BS10012:2017 Certification.",
    "after receiving certifications from ISO/IEC, reaffirming",
    "autonomous shuttle minibus vehicle-2 – city network system, etc.",
    "According to “China Artificial Intelligence Market 2021H2” released by IDC.",
    "We responded to COVID-19 quickly.",
    "Since 2018, we have led the industry.",
    "The SenseMARS platform empowered the 2022 Beijing Winter Olympics.",
    "SenseTime has launched one of the world's leading clusters.",
    "1. Smart City - maintain the market leading position.",
    "We cooperated with the Alfa Romeo F1 team ORLEN.",
    "It is the only one on the market that has passed.",
    "Revenue contribution of the two segments grew.",
    "the SenseThunder-Air “All-in-One” epidemic prevention smart system",
    "From March to May, we donated kits.",
    "In 1H2022, Smart Auto segments’ contribution to revenue increased significantly.",
    "we released our first social responsibility report",
    "Smart Auto and Smart Life growth accelerates in the second half of 2022.",
    # identifiers and markup, not quantities
    "<script>window.__pwned=1</script>",
    "Set x=2 and y==3 before page=2&size=20.",
    '<div id="a3" data-row="42" style="width:100px">',
    "<img src=x onerror=alert(1)>",
    "Read it at https://example.com/report2022/page3?id=5&n=10 or www.example.com/news/123.",
    "Write to ir2@example.com or ir@example.com.",
    "The colour is 0x1F3 or #ff0033.",
    "See the file item_3 and foo_bar4 under /api/v2/items/17.",
    "Install version 1.2.3 on host 10.0.0.1.",
]


@pytest.mark.parametrize("sentence", NOT_FIGURES)
def test_non_quantities_are_not_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ('<p class="x1">Revenue was RMB5 billion.</p>', ["RMB5 billion"]),
        ("Net loss fell 26% (see https://example.com/q2).", ["26%"]),
        ("US$1 = RMB6.7 and margin was 66%.", ["US$1", "RMB6.7", "66%"]),
    ],
)
def test_figures_next_to_markup_are_still_found(text: str, figures: list[str]) -> None:
    assert [f.text for f in extract_figures(text)] == figures


@pytest.mark.parametrize(
    ("sentence", "text", "value", "metric"),
    [
        ("[Hong Kong, 25 Augsut 2022] – SenseTime announced.", "25 Augsut 2022", 20220825,
         "release date"),
        ("It officially launched on January 24, 2022, with power.", "January 24, 2022", 20220124,
         "launch date"),
        ("As of June 30,2022, it grew.", "June 30,2022", 20220630, "reporting date"),
        ("In August 2022, the robot was released.", "August 2022", 20220800, "release date"),
        ("for the six months ended 30 June 2022.", "30 June 2022", 20220630, "period end"),
    ],
)  # fmt: skip
def test_a_date_is_one_figure(sentence: str, text: str, value: int, metric: str) -> None:
    figure = only(sentence)
    assert (figure.text, figure.value, figure.kind, figure.metric) == (text, value, "date", metric)


# --- periods ----------------------------------------------------------------------------------

PERIODS = [
    ("In 2021, revenue was RMB1 billion.", "RMB1 billion", "2021"),
    ("Revenue for the full year of 2021 was RMB4.7 billion.", "RMB4.7 billion", "FY2021"),
    ("In the first half of 2022, revenue was RMB1.42 billion.", "RMB1.42 billion", "1H2022"),
    ("Revenue in Q3 2022 was RMB1 billion.", "RMB1 billion", "3Q2022"),
    ("Revenue in FY2023 was US$2bn.", "US$2bn", "FY2023"),
    ("As of June 30, 2022, cash was RMB19.51 billion.", "RMB19.51 billion", "as of June 30, 2022"),
    ("Since 2018, investment has exceeded RMB10 billion.", "RMB10 billion", "since 2018"),
    ("Devices rose to 29,000 devices, up by 28% in six months.", "28%", "in six months"),
    ("Business highlights in 1H2022:\n● Net loss was RMB3.21 billion.", "RMB3.21 billion",
     "1H2022"),
    ("In 1H2022, revenue rose. We served 183 customers.", "183 customers", "1H2022"),
    ("Since 2018, we invested RMB10 billion. Margin was 66%.", "66%", None),
    ("Revenue was RMB1 billion in 2021.", "RMB1 billion", "2021"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "figure_text", "period"), PERIODS)
def test_period_comes_from_context(text: str, figure_text: str, period: str | None) -> None:
    figures = {f.text: f for f in extract_figures(text)}
    assert figures[figure_text].period == period


# --- properties -------------------------------------------------------------------------------

PIECES = st.sampled_from(
    ["RMB", "HK$", "US$", "¥", "(", ")", "-", "–", "1.42", "2,136", "0020", " billion", "bn",
     "%", " percentage points", " basis points", " exaFLOPS", " square meters", "five", " of ",
     "increased by ", "over ", "up to ", "June 30, 2022", "As of ", "In 1H2022, ", "[1]",
     "respectively", " and ", ", ", ". ", "\n● ", "customers", "the number of ", "ranks first",
     "top three", "Type 3", "since 2018", "20", "x", "k", "m"]
)  # fmt: skip


def check(text: str) -> None:
    for figure in extract_figures(text):
        assert text[figure.start : figure.end] == figure.text
        assert math.isfinite(figure.value)
        assert figure.high is None or math.isfinite(figure.high)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_on_any_unicode(text: str) -> None:
    check(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25).map("".join))
def test_spans_slice_back_on_release_like_text(text: str) -> None:
    check(text)
