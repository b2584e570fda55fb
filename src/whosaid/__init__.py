"""whosaid: who said what, how, and according to whom.

``whosaid.extract(text)`` returns a :class:`whosaid.model.Document` with the
attributions, speakers and citations found in ``text``.
"""

from whosaid.model import Attribution, Citation, Document, Speaker
from whosaid.pipeline import extract, extract_many

__all__ = ["Attribution", "Citation", "Document", "Speaker", "extract", "extract_many"]
__version__ = "0.1.0"
