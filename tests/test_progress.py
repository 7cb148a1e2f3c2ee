"""Progress lines: whole, in order, periodic in a log."""

from __future__ import annotations

from analysis import progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_periodic_lines_come_at_most_every_period_and_at_the_end(capsys):
    clock = Clock()
    loop = progress.Periodic("score", 4, "task", period=10, clock=clock)
    for seconds in (1, 12, 15, 30):
        clock.now = seconds
        loop.advance()
    loop.update(4)  # a repeated end says nothing more
    assert capsys.readouterr().err.splitlines() == [
        "score: 2 of 4 tasks done (50%) after 12 s",
        "score: 4 of 4 tasks done (100%) after 30 s",
    ]


def test_periodic_line_of_one_item_is_singular(capsys):
    progress.Periodic("score", 1, "partition", clock=Clock()).update(1)
    assert capsys.readouterr().err == "score: 1 of 1 partition done (100%) after 0 s\n"


def test_say_writes_a_block_whole(capsys):
    progress.say("a\nb")
    assert capsys.readouterr().err == "a\nb\n"
