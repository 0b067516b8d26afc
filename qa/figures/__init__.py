"""Text and table cells -> typed `Figure`s.

`quantities` reads a number's surface (value, unit, kind), `phrases` what it measures,
`extract` adds the period and metric a reader takes from the sentence (`extract_figures`,
also `qa.extract_figures`), `table` makes a figure of every numeric table cell, and
`document` adds what only the whole document knows, at index time.
"""
