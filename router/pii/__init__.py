"""The parts of PII scrubbing: normalisation, recognizers, name lexicon, overlap trimming (router/scrub.py wires them)."""
