"""Benchmarks for release-qa (issue 7): `python -m bench [--quick] [--only NAME] [--json PATH]`.

Every figure is a median over repeats, next to a floor measured in the same run (the model
and FAISS doing the same work bare) and the ratio between them.
"""
