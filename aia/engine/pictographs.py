"""Counting the emoji in a text.

A report draws each colour emoji as an image of its own (Noto Color Emoji is a bitmap font), and
that costs about half a millisecond apiece where a letter costs next to nothing; an answer of
thousands of them made a report take a minute. Text questions therefore limit how many emoji one
answer holds (``max_emoji``), and this is what they count: the characters Unicode presents as
emoji by default, and any character asked to show as one (followed by U+FE0F).
"""

from __future__ import annotations

import re

# The planes of pictographs (mahjong and playing cards, enclosed letters for flags, symbols and
# pictographs, emoticons, transport, their supplements), the few characters of the Basic
# Multilingual Plane whose default presentation is an emoji (Unicode's Emoji_Presentation), and
# any character followed by the emoji presentation selector.
_PICTOGRAPH = re.compile(
    "[\U0001f000-\U0001faff]"
    "|[\u231a\u231b\u23e9-\u23ec\u23f0\u23f3\u25fd\u25fe\u2614\u2615\u2648-\u2653\u267f\u2693"
    "\u26a1\u26aa\u26ab\u26bd\u26be\u26c4\u26c5\u26ce\u26d4\u26ea\u26f2\u26f3\u26f5\u26fa\u26fd"
    "\u2705\u270a\u270b\u2728\u274c\u274e\u2753-\u2755\u2757\u2795-\u2797\u27b0\u27bf\u2b1b"
    "\u2b1c\u2b50\u2b55]"
    "|[^\U0001f000-\U0001faff]\ufe0f"
)


def emoji_count(text: str) -> int:
    """How many emoji ``text`` holds, as a report draws them."""
    return sum(1 for _ in _PICTOGRAPH.finditer(text))
