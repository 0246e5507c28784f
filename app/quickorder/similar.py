"""Close matches for a mistyped SKU: edit distance and the one-edit variants worth looking up."""

from __future__ import annotations

import string

_DIGITS = string.digits
_LETTERS = string.ascii_uppercase
_LOOK_ALIKE = {"0": "O", "O": "0", "1": "IL", "I": "1L", "L": "1I", "5": "S", "S": "5",
               "8": "B", "B": "8", "2": "Z", "Z": "2"}  # fmt: skip
MAX_VARIANTS = 850


def edit_distance(a: str, b: str, *, limit: int | None = None) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours).

    With ``limit``, any distance above it comes back as ``limit + 1`` (cheaper: the
    comparison stops as soon as the answer is known to exceed it).
    """
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        # Every later cell builds on this row (+0 or more) or the one before it (+1).
        if limit is not None and min(current) > limit and min(previous) >= limit:
            return limit + 1
        previous2, previous = previous, current
    if limit is not None and previous[-1] > limit:
        return limit + 1
    return previous[-1]


def one_edit_variants(text: str) -> list[str]:
    """SKUs one typing slip away from ``text`` (upper-case), at most ``MAX_VARIANTS``.

    Swapped neighbours, a dropped or doubled character, a wrong digit (or letter, in short
    codes), and look-alikes (O/0, I/1). A catalog lookup of these finds what a prefix or
    full-text search cannot ("FAS-0012354" for "FAS-0012345").
    """
    word = text.strip().upper()
    out: dict[str, None] = {}
    for i in range(len(word) - 1):
        if word[i] != word[i + 1]:
            out[word[:i] + word[i + 1] + word[i] + word[i + 2 :]] = None
    for i in range(len(word)):
        out[word[:i] + word[i + 1 :]] = None
        out[word[:i] + word[i] + word[i:]] = None
        for other in _LOOK_ALIKE.get(word[i], ""):
            out[word[:i] + other + word[i + 1 :]] = None
    for i, char in enumerate(word):
        pool = _DIGITS if char.isdigit() else _LETTERS if len(word) <= 8 else ""
        for other in pool:
            if other != char:
                out[word[:i] + other + word[i + 1 :]] = None
    for i in range(len(word) + 1):
        for digit in _DIGITS:
            out[word[:i] + digit + word[i:]] = None
    out.pop(word, None)
    out.pop("", None)
    return list(out)[:MAX_VARIANTS]
