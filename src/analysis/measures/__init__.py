"""Measures: functions from tables to tables (framing, sentiment, topics, terms, shares,
validation)."""
