"""whosaid: who said what, how, and according to whom.

``whosaid.extract(text)`` returns a :class:`whosaid.model.Document` with the
attributions, speakers and citations found in ``text``.

The names below are imported on first use (PEP 562), so ``import whosaid``
(and with it ``whosaid --help``) does not load spaCy or pydantic until a
document is analysed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whosaid.model import Attribution, Citation, Document, Speaker
    from whosaid.pipeline import extract, extract_many

__all__ = ["Attribution", "Citation", "Document", "Speaker", "extract", "extract_many"]
__version__ = "0.1.0"

# The subpackage whosaid.extract would otherwise take the name ``extract`` the day
# something imports it: load it now (it is empty) and drop the attribute, so
# ``whosaid.extract`` is the function, looked up below, as before it was lazy.
importlib.import_module("whosaid.extract")
globals().pop("extract", None)

_HOME = {"Attribution": "whosaid.model", "Citation": "whosaid.model",
         "Document": "whosaid.model", "Speaker": "whosaid.model",
         "extract": "whosaid.pipeline", "extract_many": "whosaid.pipeline"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(importlib.import_module(_HOME[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'whosaid' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])
