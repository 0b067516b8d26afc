"""Document metadata: the reporting period and company detected from a release's opening,
company names a question may use, and sidecar overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.ingest.corpus import load_corpus
from qa.ingest.metadata import (
    company_names,
    detect_company,
    detect_period,
    document_metadata,
    read_sidecar,
)

from .conftest import CORPUS


@pytest.mark.parametrize(
    ("text", "period"),
    [
        (
            "announced its interim results for the six months ended 30 June 2022 (“1H2022”).",
            "1H2022",
        ),
        ("results for the six months ended December 31, 2021", "2H2021"),
        ("unaudited results for the three months ended 31 March 2023", "1Q2023"),
        ("results for the three months ended September 30, 2023", "3Q2023"),
        ("annual results for the year ended 31 December 2022", "FY2022"),
        ("Results for the twelve months ended December 31, 2020", "FY2020"),
        ("Acme Reports 2023 Interim Results", "1H2023"),
        ("Acme Announces 2021 Annual Results", "FY2021"),
        (
            "Highlights of 1H2022: revenue rose. In 1H2022 margins held; 1H2021 was weaker.",
            "1H2022",
        ),
        ("Q3 2023 update", "3Q2023"),
        ("A press release with no period at all.", ""),
    ],
)
def test_the_reporting_period_is_detected_from_the_opening(text: str, period: str) -> None:
    assert detect_period(text) == period


@pytest.mark.parametrize(
    ("text", "title", "company"),
    [
        (
            '– SenseTime Group Inc. ("SenseTime", or the "Company") today',
            "",
            "SenseTime Group Inc.",
        ),
        ('Acme Robotics Limited (the "Company") announced', "", "Acme Robotics Limited"),
        ("No defined name.", "Borealis Energy Reports 2023 Interim Results", "Borealis Energy"),
        ("Interim Results\n\nCobalt Mining Ltd. (the “Company”) said", "", "Cobalt Mining Ltd."),
        ("Nothing to go on.", "Quarterly update", ""),
    ],
)
def test_the_company_is_the_name_the_release_defines(text: str, title: str, company: str) -> None:
    assert detect_company(text, title) == company


def test_a_name_a_table_defines_is_a_row_not_the_company() -> None:
    text = "Revenue by customer:\nAcme Devices Inc. (“Acme”) | 32% | 36%\nThe rest is prose."
    table = (text.index("Acme"), text.index("\nThe rest"))
    assert "company" not in document_metadata(text, "Annual report", {}, [table])
    assert document_metadata(text, "Annual report", {})["company"] == "Acme Devices Inc."


def test_company_names_cover_the_short_forms_a_question_uses() -> None:
    assert company_names("Acme Robotics Limited") == {
        "acme robotics limited", "acme robotics", "acme"
    }  # fmt: skip
    assert "china" not in company_names("China Power Holdings")
    assert company_names("") == set()


def test_the_shipped_release_is_sensetime_1h2022() -> None:
    ((release,), _) = load_corpus(CORPUS)
    assert release.meta("company") == "SenseTime Group Inc."
    assert release.meta("period") == "1H2022" and release.meta("format") == "text"


def test_a_sidecar_must_be_a_json_object(tmp_path: Path) -> None:
    path = tmp_path / "x.meta.json"
    path.write_text('["period", "1H2022"]')
    with pytest.raises(ValueError, match="must hold a JSON object"):
        read_sidecar(path)
    path.write_text('{"period": " 1H2022 ", "pages": 3}')
    assert read_sidecar(path) == {"period": "1H2022", "pages": "3"}


def test_a_loaded_document_takes_no_company_from_its_tables(tmp_path: Path) -> None:
    from qa.ingest.corpus import load_document

    page = tmp_path / "customers.html"
    page.write_text(
        "<html><body><p>Our largest customers by share of revenue:</p><table>"
        "<tr><th></th><th>2019</th></tr><tr><td>Acme Devices Inc. (“Acme”)</td><td>32%</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    assert load_document(page, tmp_path).meta("company") == ""
