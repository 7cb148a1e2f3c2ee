"""Views: what each notebook shows (summaries, computed findings, figures)."""
