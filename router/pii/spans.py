"""Overlapping findings are trimmed, never dropped: each keeps the part no stronger finding claimed.

"John Smith<john.smith@acme.com>": the email is claimed first, the name NER swallowed with it is
cut back to "John Smith", and both are replaced.
"""

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One entity found: its type, span (in the text it was found in) and score."""

    entity_type: str
    start: int
    end: int
    score: float


def priority(finding: Finding, weak_types: frozenset[str]) -> tuple[bool, float, int]:
    """Structured matches first (a name model guesses, a checksum knows), then score, then length."""
    return (finding.entity_type not in weak_types, finding.score, finding.end - finding.start)


def contains(outer: Finding, inner: Finding, weak_types: frozenset[str]) -> bool:
    """`outer` is a structured finding that strictly covers `inner`."""
    larger = (outer.end - outer.start) > (inner.end - inner.start)
    return outer.entity_type not in weak_types and larger and outer.start <= inner.start and inner.end <= outer.end


def subtract(start: int, end: int, claimed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) outside every claimed span."""
    pieces = [(start, end)]
    for claimed_start, claimed_end in claimed:
        next_pieces = []
        for piece_start, piece_end in pieces:
            if claimed_end <= piece_start or piece_end <= claimed_start:
                next_pieces.append((piece_start, piece_end))
                continue
            if piece_start < claimed_start:
                next_pieces.append((piece_start, claimed_start))
            if claimed_end < piece_end:
                next_pieces.append((claimed_end, piece_end))
        pieces = next_pieces
    return pieces


def strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a trimmed piece to its first and last letter or digit (drops the '<' left by a cut)."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def merge_same_type(findings: list[Finding]) -> list[Finding]:
    """One finding per overlapping run of the same type (NER and lexicon both finding a name)."""
    merged: list[Finding] = []
    for finding in sorted(findings, key=lambda item: (item.entity_type, item.start)):
        last = merged[-1] if merged else None
        if last and last.entity_type == finding.entity_type and finding.start < last.end:
            merged[-1] = Finding(
                last.entity_type, last.start, max(last.end, finding.end), max(last.score, finding.score)
            )
        else:
            merged.append(finding)
    return merged


def resolve(text: str, findings: list[Finding], weak_types: frozenset[str]) -> tuple[list[Finding], Counter[str]]:
    """Non-overlapping pieces of every finding, and how many findings of each type kept a piece.

    A finding loses only what a stronger one covers; a trimmed piece keeps its type and score;
    pieces with no letter or digit left go.
    """
    claimed: list[tuple[int, int]] = []
    kept: list[Finding] = []
    counts: Counter[str] = Counter()
    findings = merge_same_type(findings)
    # A value inside a larger structured one ("Secr3t@files.acme.com" in "ftp://bob:Secr3t@files.acme.com")
    # is covered by it: only the larger one is counted.
    findings = [item for item in findings if not any(contains(other, item, weak_types) for other in findings)]
    for finding in sorted(findings, key=lambda item: priority(item, weak_types), reverse=True):
        pieces = subtract(finding.start, finding.end, claimed)
        if pieces != [(finding.start, finding.end)]:
            pieces = [strip_edges(text, start, end) for start, end in pieces]
        pieces = [(start, end) for start, end in pieces if start < end]
        for start, end in pieces:
            kept.append(Finding(finding.entity_type, start, end, finding.score))
            claimed.append((start, end))
        counts[finding.entity_type] += bool(pieces)
    return sorted(kept, key=lambda item: item.start), counts
