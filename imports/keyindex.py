"""Which row first used a key: the duplicate check of big files, in 8 bytes a row.

A dict of Python ints costs about 110 bytes a row; here each (key, row) pair is
one unsigned 64-bit number ``key << ROW_BITS | row`` in a sorted ``array``, merged
with the new pairs once they are a quarter as many (so each pair is merged a few
times, not once per chunk), so a 50,000-row file needs 400 kB. Keys must be
non-negative ints below ``2**KEY_BITS`` (callers build them from dense ids);
``fits`` says whether they are, else a plain dict does the job.
"""

import heapq
from array import array
from bisect import bisect_left

ROW_BITS = 24  # 16 million rows; an XLSX sheet holds at most 1,048,576
KEY_BITS = 64 - ROW_BITS
ROW_MASK = (1 << ROW_BITS) - 1
MIN_MERGE = 2000  # pairs kept in the dict before the first merge


def fits(largest_key):
    return largest_key < 1 << KEY_BITS


class KeyIndex:
    def __init__(self):
        self.packed = array("Q")
        self.pending = {}
        self.far = {}  # rows beyond 2**ROW_BITS (CSV only), kept plainly

    def first_row(self, key):
        """The row that used ``key`` before, or None."""
        row = self.pending.get(key, self.far.get(key))
        if row is not None:
            return row
        at = bisect_left(self.packed, key << ROW_BITS)
        if at < len(self.packed) and self.packed[at] >> ROW_BITS == key:
            return self.packed[at] & ROW_MASK
        return None

    def add(self, key, row):
        (self.pending if row <= ROW_MASK else self.far)[key] = row
        if len(self.pending) >= max(MIN_MERGE, len(self.packed) // 4):
            self.commit()

    def commit(self):
        """Fold the pending pairs into the sorted array."""
        if not self.pending:
            return
        new = sorted(key << ROW_BITS | row for key, row in self.pending.items())
        merged = array("Q")
        merged.extend(heapq.merge(self.packed, new))
        self.packed, self.pending = merged, {}


class DictIndex(dict):
    """The same interface for keys too large to pack."""

    first_row = dict.get

    def add(self, key, row):
        self[key] = row

    def commit(self):
        pass
