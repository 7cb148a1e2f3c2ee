"""The corpus check and the manifest's ``language``: an article in another language is
named with the tables it is left out of, and a text that reads as another language than
its row's is named with both (py3langid), when the text is long enough to judge.

The articles are written for these tests.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.data.corpus import validate_corpus
from analysis.data.corpus.language import MIN_DETECT_LETTERS

from factories import ROOT, SEED_RAW, make_corpus

pytest.importorskip("py3langid")

ENGLISH = (
    "Partners discuss a guarantee\n"
    "\n"
    "Diplomats from several European capitals met on Tuesday to discuss how a future "
    "ceasefire could be watched over and who would pay for it.\n"
    "\n"
    "The meeting ended without a joint statement, but two officials said a draft plan "
    "for air patrols and a monitoring mission would be circulated next week.\n"
)
UKRAINIAN = (
    "Партнери обговорюють гарантії\n"
    "\n"
    "Дипломати з кількох європейських столиць зустрілися у вівторок, щоб обговорити, як "
    "можна буде стежити за майбутнім перемир'ям і хто за це платитиме.\n"
    "\n"
    "Зустріч завершилася без спільної заяви, але двоє посадовців сказали, що проєкт плану "
    "повітряного патрулювання та місії спостереження розішлють наступного тижня.\n"
)
KOREAN = (
    "동맹국들 보장 방안 논의\n"
    "\n"
    "여러 유럽 국가의 외교관들이 화요일에 만나 앞으로의 휴전을 어떻게 감시할지, 그리고 그 "
    "비용을 누가 부담할지를 논의했다.\n"
    "\n"
    "회의는 공동 성명 없이 끝났지만, 두 명의 관리는 공중 순찰과 감시 임무에 관한 계획 "
    "초안이 다음 주에 회람될 것이라고 말했다. 참석자들은 추가 회의 일정도 곧 정할 "
    "예정이라고 덧붙였으며, 일부 대표단은 재정 분담 방식에 대해 서로 다른 의견을 "
    "밝혔다고 전해졌다. 한 외교관은 기자들에게 합의까지는 아직 시간이 더 필요하다고 "
    "설명했다. 회의 결과는 각국 정부에 보고될 예정이다.\n"
)
SHORT_UKRAINIAN = "Коротко\n\nДипломати зустрілися у вівторок.\n"


def _warnings(folder, text: str, language: str) -> list[str]:
    folder.mkdir()
    raw = make_corpus(folder, {"a.txt": text},
                      [f"art-1,a.txt,Outlet,2025-01-01,,{language},,"])
    report = validate_corpus(raw)
    assert report.ok, report.errors
    return report.warnings


@pytest.mark.parametrize(("text", "language"), [(UKRAINIAN, "uk"), (KOREAN, "ko")])
def test_another_language_is_named_with_the_tables_it_is_left_out_of(tmp_path, text,
                                                                      language):
    warnings = _warnings(tmp_path / language, text, language)
    assert len(warnings) == 1
    assert "a.txt (article_id 'art-1')" in warnings[0]
    assert f"language {language!r} is not English" in warnings[0]
    for table in ("guarantee_mentions", "frames", "quotes", "sentiment"):
        assert table in warnings[0]


def test_a_text_in_another_language_than_its_row_is_named_when_judged(tmp_path):
    for text in (ENGLISH, UKRAINIAN, KOREAN):
        assert sum(char.isalpha() for char in text) >= MIN_DETECT_LETTERS
    warnings = _warnings(tmp_path / "uk-as-en", UKRAINIAN, "en")
    assert len(warnings) == 1
    assert "a.txt (article_id 'art-1')" in warnings[0]
    assert "the manifest's language is 'en' but the text reads as 'uk'" in warnings[0]
    warnings = _warnings(tmp_path / "en-as-ko", ENGLISH, "ko")
    assert len(warnings) == 2
    assert "language 'ko' is not English" in warnings[0]
    assert "the manifest's language is 'ko' but the text reads as 'en'" in warnings[1]
    # No false alarm: the right language, a regional tag of it, a text too short to
    # judge, the seeds.
    assert _warnings(tmp_path / "en", ENGLISH, "en") == []
    assert _warnings(tmp_path / "en-gb", ENGLISH, "en-GB") == []
    assert sum(char.isalpha() for char in SHORT_UKRAINIAN) < MIN_DETECT_LETTERS
    assert _warnings(tmp_path / "short", SHORT_UKRAINIAN, "en") == []
    assert validate_corpus(SEED_RAW).warnings == []


def test_validate_prints_the_language_warnings(tmp_path):
    raw = make_corpus(tmp_path, {"a.txt": UKRAINIAN, "b.txt": ENGLISH},
                      ["art-1,a.txt,Outlet,2025-01-01,,en,,",
                       "art-2,b.txt,Outlet,2025-01-02,,uk,,"])
    done = subprocess.run([sys.executable, "-m", "analysis", "validate", "--raw", str(raw)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("warning:")]
    assert len(lines) == 3
    assert "a.txt (article_id 'art-1'): the manifest's language is 'en' but the text " \
        "reads as 'uk'" in lines[0]
    assert "b.txt (article_id 'art-2'): language 'uk' is not English" in lines[1]
    assert "b.txt (article_id 'art-2'): the manifest's language is 'uk' but the text " \
        "reads as 'en'" in lines[2]
