"""PII scrubbing parts: normalisation, recognizers, the name lexicon, overlap trimming (wired in router/scrub.py)."""
