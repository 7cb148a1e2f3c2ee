"""Dates and times as saved web pages print them, for the layout cues.

Matched against a line's matching text, case-insensitive: :data:`DATE_LINE` is a line
that is only a date, :data:`TIMESTAMP_LINE` a line such as "Updated: 3 March 2025",
:data:`BYLINE_STAMP` the timestamp or read time that may end a byline. :data:`MONTHS`
also serves the datelines of wire stories.
"""

from __future__ import annotations

import re

MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_WEEKDAYS = (r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
             r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?")
# Whole words only (look-arounds), and separators only before a word, so that "2026"
# cannot be re-read as "20" + "26", a run of separators has one owner, and a line that
# is not a date fails fast.
_DATE_WORD = (rf"(?<!\w)(?:\d{{1,4}}(?:st|nd|rd|th)?|{MONTHS}|{_WEEKDAYS}|[ap]\.?m\.?"
              r"|gmt|utc|[ecmp][sd]?t|cest|cet|eet|bst|kst|jst|ist|msk|at|on|ago|today"
              r"|yesterday|(?:hour|hr|minute|min|day|week|second|sec)s?)(?!\w)")
_DATE_TEXT = rf"(?:[\s,.:/|()+\u00b7\u2022-]*{_DATE_WORD})+"
_DATE_END = r"[.)]?"
DATE_LINE = re.compile(_DATE_TEXT + _DATE_END, re.IGNORECASE)
TIMESTAMP_LINE = re.compile(
    r"(?:[\s|\u00b7\u2022-]*(?:(?:last\s+|first\s+)?(?:updated|published|posted|modified)"
    rf"|created)(?::|(?=[\s|]|$))(?:{_DATE_TEXT})?)+{_DATE_END}",
    re.IGNORECASE,
)
# A byline may end with its timestamp and read time, a weekday even glued to the name
# ("by Ann Lee February 3, 2025 9:42 AM 2 min read", "Ann LeeMonday, 3 March 2025, 18:07").
BYLINE_STAMP = re.compile(
    r"(?:(?<=[a-z])(?-i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|\s)"
    rf"(?:{_DATE_TEXT}|\s*\d+\s*min(?:ute)?s?\s+read)*{_DATE_END}$",
    re.IGNORECASE,
)
