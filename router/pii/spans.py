"""Overlapping findings are trimmed, never dropped: each keeps the part no stronger finding claimed.

"John Smith<john.smith@acme.com>": the email is claimed first, the name NER swallowed with it is
cut back to "John Smith", and both are replaced.
"""

import bisect
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


def uncovered(findings: list[Finding], weak_types: frozenset[str]) -> list[Finding]:
    """Findings not strictly inside a larger structured finding, in one sweep by start.

    "Secr3t@files.acme.com" inside "ftp://bob:Secr3t@files.acme.com" is covered by the URL:
    only the larger one is replaced and counted. A name (weak) covers nothing.
    """
    kept = []
    cover_start, cover_end = 0, -1  # the structured finding seen so far that reaches furthest
    for finding in sorted(findings, key=lambda item: (item.start, -item.end)):
        inside = finding.end <= cover_end and (cover_end - cover_start) > (finding.end - finding.start)
        if not inside:
            kept.append(finding)
        if finding.entity_type not in weak_types and finding.end > cover_end:
            cover_start, cover_end = finding.start, finding.end
    return kept


def subtract(start: int, end: int, claimed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of [start, end) outside every claimed span (`claimed`: sorted, non-overlapping)."""
    pieces = []
    position = start
    for claimed_start, claimed_end in claimed[max(0, bisect.bisect_left(claimed, (start, start)) - 1) :]:
        if claimed_start >= end:
            break
        if claimed_end <= position:
            continue
        if claimed_start > position:
            pieces.append((position, claimed_start))
        position = max(position, claimed_end)
    if position < end:
        pieces.append((position, end))
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
    findings = uncovered(merge_same_type(findings), weak_types)
    for finding in sorted(findings, key=lambda item: priority(item, weak_types), reverse=True):
        pieces = subtract(finding.start, finding.end, claimed)
        if pieces != [(finding.start, finding.end)]:
            pieces = [strip_edges(text, start, end) for start, end in pieces]
        pieces = [(start, end) for start, end in pieces if start < end]
        for start, end in pieces:
            kept.append(Finding(finding.entity_type, start, end, finding.score))
            bisect.insort(claimed, (start, end))
        counts[finding.entity_type] += bool(pieces)
    return sorted(kept, key=lambda item: item.start), counts
