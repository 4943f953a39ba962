"""presidio and spaCy, imported once, offline and without presidio's Hugging Face NER path.

Import them from here: a module that imported spaCy first would load torch into the agent worker.
"""

import os
import sys
from typing import Any

# tldextract (used by presidio's email validation) reads this when imported: the bundled public
# suffix snapshot is enough, and a network fetch would hang an offline server.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")


def _import_presidio() -> tuple[Any, Any]:
    """Import presidio without its optional Hugging Face NER path.

    presidio imports transformers and torch for an NER engine we never use (8 s, +400 MB per
    worker); hiding them during the import makes it 2 s. A process that already loaded them
    (a test session, a training job) keeps them: nothing is hidden then.
    """
    hidden = [name for name in ("transformers", "torch") if name not in sys.modules]
    if len(hidden) < 2:
        hidden = []
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        import presidio_analyzer
        import presidio_anonymizer
    finally:
        for name in hidden:
            del sys.modules[name]
    return presidio_analyzer, presidio_anonymizer


presidio_analyzer, presidio_anonymizer = _import_presidio()
import spacy  # noqa: E402  (after presidio, which imports it with torch hidden; thinc would import torch)
import tldextract  # noqa: E402
from presidio_analyzer import nlp_engine, predefined_recognizers  # noqa: E402

# Belt and braces: if tldextract was imported before the variable above was set, its default
# extractor would still fetch the list over HTTP.
tldextract.tldextract.TLD_EXTRACTOR.suffix_list_urls = ()

__all__ = ["nlp_engine", "predefined_recognizers", "presidio_analyzer", "presidio_anonymizer", "spacy"]
