"""The project's Jupyter kernel: one named kernelspec carrying the pinned environment.

``make`` installs it into the virtual environment (``<.venv>/share/jupyter/kernels/``),
where JupyterLab, papermill (``run``) and nbval all find it by the name the notebooks'
metadata gives, so every kernel, interactive or not, starts with the same environment.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

KERNEL_NAME = "analysis"
DISPLAY_NAME = "Python 3 (analysis)"

# String hashing and the matplotlib backend are fixed, and native thread pools use one
# thread, so that two notebooks side by side do not oversubscribe the cores and float
# reductions are summed in the same order on every machine.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "MPLBACKEND": "Agg",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}


def kernel_spec(python: str | os.PathLike = sys.executable) -> dict:
    """The ``kernel.json`` of the project kernel, started by ``python``.

    ipykernel's own log is kept to critical messages: jupyter_client interrupts every
    kernel before it asks it to shut down, and an idle kernel logs "KeyboardInterrupt
    caught in kernel" at error level for each, into the run's output. A cell's errors
    and warnings reach the notebook through its outputs, not through this log.
    """
    return {
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=CRITICAL"],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "env": dict(KERNEL_ENV),
        "metadata": {"debugger": True},
    }


def install_kernel(prefix: str | os.PathLike = sys.prefix) -> Path:
    """Write the project kernel's spec under ``<prefix>/share/jupyter/kernels/``.

    Returns
    -------
    Path
        The written ``kernel.json``. Installing again replaces it (same bytes for the
        same interpreter).
    """
    folder = Path(prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kernel.json"
    path.write_text(json.dumps(kernel_spec(), indent=1, sort_keys=True) + "\n", "utf-8")
    return path
