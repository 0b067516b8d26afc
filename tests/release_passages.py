"""Passages of the shipped release as retrieval returns them, built by hand (no model): the
line holding an anchor sentence, its figures attached and the anchor marked as the answering
sentence. Shared by the answer-stage tests (compose, candidates, spans, not stated)."""

from __future__ import annotations

from pathlib import Path

from qa.figures.extract import extract_figures
from qa.types import Passage

DOC_ID = "sensetime-2022-interim-results"
DOC = (Path(__file__).resolve().parents[1] / "corpus" / f"{DOC_ID}.txt").read_text("utf-8")
FIGURES = extract_figures(DOC, DOC_ID)
HIGHLIGHTS = "Business highlights in 1H2022"


def passage(anchor: str, score: float, section: str = HIGHLIGHTS) -> Passage:
    """The release line holding `anchor`, as retrieval would return it: its figures attached
    (document offsets) and `anchor` marked as the best sentence."""
    at = DOC.index(anchor)
    start = DOC.rfind("\n", 0, at) + 1
    end = DOC.find("\n", at)
    return Passage(
        text=DOC[start:end],
        score=score,
        doc=DOC_ID,
        doc_title=DOC_ID,
        section=section,
        start=start,
        end=end,
        chunk_id=start,
        sentence_start=at,
        sentence_end=at + len(anchor),
        figures=tuple(f for f in FIGURES if start <= f.start and f.end <= end),
    )


REVENUE = "The Company's total revenue was RMB1.42 billion"
GROWTH = "The revenue of Smart Life increased by 98%"
CONTRIBUTION = "Revenue contribution of Smart Life and Smart Auto accounted for"
OVERSEAS = "Overseas markets contributed 19% of the revenue"
RND = "R&D expenditure reached RMB2.04 billion"
PATENTS = "the Company added 2,136 patents"
CASH = "Total cash reserve held by the Company was RMB19.51 billion"
CLUSTER = "SenseTime has launched one of the world's leading AI supercomputing clusters"
LINGANG = "Shanghai Lingang AIDC officially launched on January 24, 2022"
AUTO = "Smart Auto segment served 20 customers"
LIFE = "Smart Life segment served 183 customers"
HEALTH = "We are currently serving 75 hospitals"
CEO = "Dr. Xu Li, Executive Chairman of the Board and Chief Executive Officer of SenseTime"
LIFE_GROWTH = "revenue per customer increased by 67%"
PHONES = "a total of 1.7 billion mobile phones of 180 mobile phone models"
MARS = "The SenseMARS platform empowered the 2022 Beijing Winter Olympics"
CHIPS = "Five types of domestic-made chips have achieved training adaptation"
CITIES = "Among the 155 cities that have deployed SenseFoundry"
IOT = "the number of IoT devices connected and empowered by SenseFoundry"
DOOR_LOCKS = "In the consumer household smart door lock market"
MODULES = "which includes 18 AI modules covering 6 clinical disciplines"
GITHUB = "SenseTime’s open-source platform obtained more than 60,000 stars on GitHub"
AAS = "As of August 2022, our AIDC has opened up 1 exaFLOPS capacity for customers"
