"""The processed tables: the catalog, byte-stable CSV files, the sections of ``sentences``.

Every processed table is declared once in the catalog (:data:`TABLES`). Writers go
through :func:`write_table` and readers through :func:`read_table` or
:func:`read_tables`, so the same frame always gives the same bytes: that is what makes
``make run`` leave ``git status`` clean.

Modules
-------
- ``catalog``: :data:`TABLES` and :class:`TableSpec`, :func:`spec_for`, :func:`conform`,
  :func:`empty_table`, :func:`require_columns`.
- ``files``: CSV bytes and atomic files; :func:`write_table`, :func:`read_table`,
  :func:`read_tables`, :func:`csv_bytes`, :func:`to_csv_bytes`,
  :func:`write_bytes_atomic`.
- ``sections``: :data:`SECTIONS`, :data:`FRONT_SECTIONS`, :func:`section_order`,
  :func:`select_sections`.
"""

from analysis.data.tables.catalog import (
    TABLES,
    TableSpec,
    conform,
    empty_table,
    require_columns,
    spec_for,
)
from analysis.data.tables.files import (
    csv_bytes,
    read_table,
    read_tables,
    to_csv_bytes,
    write_bytes_atomic,
    write_table,
)
from analysis.data.tables.sections import (
    FRONT_SECTIONS,
    SECTIONS,
    section_order,
    select_sections,
)

__all__ = [
    "TABLES",
    "TableSpec",
    "spec_for",
    "conform",
    "empty_table",
    "require_columns",
    "csv_bytes",
    "to_csv_bytes",
    "write_bytes_atomic",
    "write_table",
    "read_table",
    "read_tables",
    "SECTIONS",
    "FRONT_SECTIONS",
    "section_order",
    "select_sections",
]
