"""The event engine's kernel compiled ahead of time at install, when numba is there.

Everything else is in ``pyproject.toml``. With numba in the build environment (it is in
``[build-system] requires``) and a C compiler, numba.pycc builds the kernel
(``orgflow/simulate/kernel.py``) into the extension ``orgflow.simulate._kernel_aot``: a run
then neither imports numba nor loads the kernel from numba's cache (about half a second of
every ``orgflow simulate`` on the compiled engine; see the README, "Two engines, one model").
The extension is optional: without a compiler, or with ``ORGFLOW_NO_AOT=1`` set, the install
goes on without it and the kernel is compiled by numba at first use (the ``fast`` extra), or the
engine runs in Python.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from setuptools import setup


def kernel_extensions() -> list[Any]:
    if os.environ.get("ORGFLOW_NO_AOT"):  # opted out: numba at first use, or Python
        return []
    try:
        import numba  # noqa: F401
    except ImportError:
        return []
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from orgflow.simulate.kernel import aot_compiler

    return [aot_compiler().distutils_extension(optional=True)]


setup(ext_modules=kernel_extensions())
