"""The one exception type for bad input, so the CLI can report it and exit with status 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: one or more problems, each naming the file or manifest row.

    Parameters
    ----------
    problems : list of str
        One human-readable line per problem, e.g.
        ``"data/raw/manifest.csv row 3: published '2025-13-01' is not a date (YYYY-MM-DD)"``.
    """

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))
