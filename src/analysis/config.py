"""Where the checkout's own files are, for defaults that name them."""

from __future__ import annotations

from pathlib import Path

# src/analysis/config.py -> the checkout (the package is installed editable from it).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
