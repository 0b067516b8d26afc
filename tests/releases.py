"""Small releases written by the tests themselves: Markdown, HTML and PDF (built with fpdf2 at
test time), each with headings, a table and figures. No external files."""

from __future__ import annotations

from pathlib import Path


def markdown_release(
    company: str = "Acme Robotics",
    period: str = "2023",
    revenue: str = "2.31",
    margin: int = 52,
    patents: str = "3,100",
) -> str:
    """An interim release in Markdown for the six months ended 30 June of `period`."""
    return f"""# {company} Reports {period} Interim Results

[Hong Kong, 20 August {period}] – {company} Limited (the "Company") today announced its
interim results for the six months ended 30 June {period}.

## Financial Highlights

● Total revenue was RMB{revenue} billion.

● The gross profit margin was {margin}%.

## Research

The Company holds {patents} patents and employs engineers in four cities.
"""


HTML_RELEASE = """<!doctype html>
<html><head><title>Borealis Energy Reports 2023 Interim Results</title>
<style>body { color: red }</style><script>var tracking = "do not index";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/investors">Investors</a></nav>
<div class="cookie-banner">We use cookies to improve your experience.</div>
<main>
<h1>Borealis Energy Reports 2023 Interim Results</h1>
<p>Borealis Energy Inc. (the "Company") announced its results for the six months ended
30 June 2023.</p>
<h2>Financial Highlights</h2>
<table>
<caption>Key figures (RMB million)</caption>
<thead><tr><th>RMB million</th><th>1H2023</th><th>1H2022</th></tr></thead>
<tbody>
<tr><td>Revenue</td><td>4,870.2</td><td>3,905.0</td></tr>
<tr><td>Net profit</td><td>612.4</td><td>488.9</td></tr>
</tbody></table>
<h2>Operations</h2>
<ul><li>Wind capacity reached 1,250 megawatts.</li><li>Solar farms supplied 40 towns.</li></ul>
<p>The Company installed 86 turbines during the period.</p>
</main>
<footer>© 2023 Borealis Energy. All rights reserved. Privacy policy.</footer>
</body></html>
"""


def write_pdf(path: Path) -> Path:
    """A two-page release: prose and a table on page 1, an outlook section on page 2."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Cobalt Mining Reports 2023 Interim Results")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Cobalt Mining Reports 2023 Interim Results")
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0,
        6,
        'Cobalt Mining Limited (the "Company") today announced its results for the six months '
        "ended 30 June 2023. Demand for battery metals stayed firm across its markets, and the "
        "Company expanded two of its mines while keeping costs under control.",
    )
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, "Financial Highlights")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    with pdf.table(col_widths=(60, 40, 40)) as table:
        for cells in (
            ("RMB million", "1H2023", "1H2022"),
            ("Revenue", "1,420.5", "1,180.3"),
            ("Operating profit", "311.8", "250.2"),
        ):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(0, 7, "Outlook")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        0, 6, "The Company expects to open a third cobalt refinery in Zambia by December 2024."
    )
    pdf.output(str(path))
    return path
