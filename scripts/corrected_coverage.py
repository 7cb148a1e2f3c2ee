"""Print the coverage behind `tests/measures/test_corrected.py`'s simulation.

The test asserts that the corrected 95% interval covers the true share in 93-97% of the
simulated corpora and the naive one in under half; this prints the figures themselves,
from the test's own constants, so a closing note or README can cite them.

Usage (from the repository root)::

    .venv/bin/python scripts/corrected_coverage.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "measures"))
import test_corrected as simulated  # noqa: E402  (the constants live with the test)

from analysis.measures.validation.corrected import corrected_share  # noqa: E402


def main() -> int:
    s = simulated
    rng = np.random.default_rng(s.SEED)
    truth = rng.random((s.DRAWS, s.N)) < s.P
    predicted = rng.random((s.DRAWS, s.N)) < np.where(truth, s.SENSITIVITY, s.FALSE_POSITIVE)
    pi = np.where(predicted, s.PI_LABELLED, s.PI_OTHER)
    coded = np.where(rng.random((s.DRAWS, s.N)) < pi, truth.astype(float), np.nan)
    shares = [corrected_share(*draw) for draw in zip(predicted, coded, pi, strict=True)]
    print(f"{s.DRAWS} corpora of {s.N} sentences, true share {s.P}, seed {s.SEED}")
    print(f"corrected interval coverage: {np.mean([x.low <= s.P <= x.high for x in shares]):.4f}")
    print("naive interval coverage:     "
          f"{np.mean([x.naive_low <= s.P <= x.naive_high for x in shares]):.4f}")
    print(f"mean corrected estimate:     {np.mean([x.estimate for x in shares]):.5f}")
    print(f"median width ratio:          {np.median([x.width_ratio for x in shares]):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
