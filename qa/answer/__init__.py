"""A question and its ranked passages -> an `Answer`, or an honest "not stated".

`intent` reads what kind of figure a question asks for, `candidates` scores the passages'
figures, `derived` and `textderived` compute figures the text implies, `operations`,
`tablematch`, `tablelists` and `tableanswer` answer from table cells, and `compose` puts the
answer together with its citation.
"""
