"""Helpers for comparing how news articles frame security guarantees for Ukraine.

Modules, one concern each: ``corpus`` (manifest, parsing, sentences), ``tables``
(the processed-table catalog), ``framing``, ``compare``, ``sentiment``, ``topics``,
``plotting`` and ``pipeline`` (the notebook DAG). ``python -m analysis --help`` is the CLI.
"""

__version__ = "0.1.0"
