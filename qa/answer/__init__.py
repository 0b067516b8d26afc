"""A question (read once into `qa.text.question.Question`) and its ranked passages -> an
`Answer`, or an honest "not stated".

`candidates` scores the passages' figures against what the question asks for, `derived` and
`textderived` compute figures the text implies, `tablematch`, `tablelists` and `tableanswer`
answer from table cells, `spans` and `spananswer` cut a words answer from its sentence,
`notstated` checks the best figure really answers, and `compose` puts the answer together
with its citation.
"""
