import pytest

from polls.box import results
from polls.models import Choice, largest_remainder_percentages


@pytest.mark.parametrize(
    "counts, expected",
    [
        ([1, 1, 1], [34, 33, 33]),
        ([2, 1], [67, 33]),
        ([0, 0, 0], [0, 0, 0]),
        ([5], [100]),
        ([1, 0, 0], [100, 0, 0]),
        ([184, 121, 57, 13], [49, 32, 15, 4]),
        ([1, 1, 1, 1, 1, 1], [17, 17, 17, 17, 16, 16]),
        ([], []),
    ],
)
def test_percentages_use_largest_remainders(counts, expected):
    assert largest_remainder_percentages(counts) == expected


@pytest.mark.parametrize("seed", range(40))
def test_percentages_always_sum_to_100_when_there_are_votes(seed):
    import random

    rng = random.Random(seed)
    counts = [rng.randint(0, 1000) for _ in range(rng.randint(1, 9))]
    counts[0] += 1
    shares = largest_remainder_percentages(counts)
    assert sum(shares) == 100
    for count, share in zip(counts, shares, strict=True):
        assert abs(share - count * 100 / sum(counts)) < 1


def test_results_rows_carry_counts_and_percentages():
    rows, total = results([Choice(text="A", votes=2), Choice(text="B", votes=1)])
    assert total == 3
    assert [(r.text, r.votes, r.percent) for r in rows] == [("A", 2, 67), ("B", 1, 33)]
