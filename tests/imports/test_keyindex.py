"""The compact duplicate index answers exactly as a dict would."""

import random

from imports.keyindex import ROW_MASK, DictIndex, KeyIndex, fits


def test_key_index_matches_a_dict_across_chunks():
    rng = random.Random(2017)
    compact, plain = KeyIndex(), DictIndex()
    keys = [rng.randrange(1 << 39) for _ in range(5000)] + [0, (1 << 40) - 1]
    for row, key in enumerate(keys * 2, start=2):
        assert compact.first_row(key) == plain.first_row(key)
        if plain.first_row(key) is None:
            compact.add(key, row)
            plain.add(key, row)
        if row % 700 == 0:
            compact.commit()
    compact.commit()
    assert all(compact.first_row(k) == plain[k] for k in keys)
    assert compact.first_row(12345678) == plain.first_row(12345678)
    assert len(compact.packed) == len(plain)


def test_rows_beyond_the_packed_range_are_still_found():
    index = KeyIndex()
    index.add(7, ROW_MASK + 5)
    index.commit()
    assert index.first_row(7) == ROW_MASK + 5


def test_fits_bounds_keys_to_forty_bits():
    assert fits((1 << 40) - 1)
    assert not fits(1 << 40)
