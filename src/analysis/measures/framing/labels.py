"""Labels the framing tables and their summaries share: guarantee dimensions, modalities,
the unknown speaker and the no-label placeholder.
"""

from __future__ import annotations

GUARANTEE_DIMENSIONS = ("guarantor", "form")
MODALITY_ASSERTED, MODALITY_DEMANDED, MODALITY_CONDITIONAL = "asserted", "demanded", "conditional"
# Codebook section 5: a label held in several ways in one sentence takes the first.
MODALITIES = (MODALITY_ASSERTED, MODALITY_DEMANDED, MODALITY_CONDITIONAL)
UNKNOWN_SPEAKER = "unknown"
NO_LABEL = "none"
