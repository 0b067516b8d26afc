"""Scoring the system: the gold questions (`evaluate`, `metrics`, `report`) and the
TAT-QA benchmark (`tatqa`, `tatqa_eval`, `tatqa_metric`, `tatqa_report`, `tatqa_cli`).
"""
