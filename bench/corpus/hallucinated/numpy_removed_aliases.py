"""Signal statistics written against numpy 1.x aliases removed in numpy 2.0.

numpy's module __getattr__ raises AttributeError for each of these names (with a
migration hint), so every use fails at runtime.  `np.bool` and `np.long` exist again in
numpy 2 and are therefore NOT labelled.
"""

import numpy as np


def to_float(values):
    return np.array(values, dtype=np.float)  # expect: HAL101[float]


def to_int(values):
    return np.array(values).astype(np.int)  # expect: HAL101[int]


def as_objects(values):
    return np.array(values, dtype=np.object)  # expect: HAL101[object]


def flags(values):
    return np.array(values, dtype=np.bool)


def big(values):
    return np.array(values, dtype=np.long)


def fill_missing(values):
    arr = np.asfarray(values)  # expect: HAL101[asfarray]
    arr[arr < 0] = np.NaN  # expect: HAL101[NaN]
    return arr


def bounds():
    return -np.Inf, np.PINF, np.NINF, np.infty  # expect: HAL101[Inf], HAL101[PINF], HAL101[NINF], HAL101[infty]


def total_product(values):
    return np.product(values)  # expect: HAL101[product]


def running_product(values):
    return np.cumproduct(values)  # expect: HAL101[cumproduct]


def all_positive(values):
    return np.alltrue(np.asarray(values) > 0)  # expect: HAL101[alltrue]


def any_negative(values):
    return np.sometrue(np.asarray(values) < 0)  # expect: HAL101[sometrue]


def precise(values):
    return np.array(values, dtype=np.float_), np.array(values, dtype=np.complex_)  # expect: HAL101[float_], HAL101[complex_]


def rounded(values):
    return np.round_(values, 2)  # expect: HAL101[round_]


def labels(values):
    return np.array(values, dtype=np.string_), np.array(values, dtype=np.unicode_)  # expect: HAL101[string_], HAL101[unicode_]


def sorted_rows(matrix):
    return np.msort(matrix)  # expect: HAL101[msort]


def as_matrix(rows):
    return np.mat(rows)  # expect: HAL101[mat]


def scalar(arr):
    return np.asscalar(arr)  # expect: HAL101[asscalar]


def common(a, b):
    return np.find_common_type([a.dtype, b.dtype], [])  # expect: HAL101[find_common_type]


def index_types():
    return np.int0, np.bool8  # expect: HAL101[int0], HAL101[bool8]


def spread(values):
    arr = np.asarray(values)
    return arr.ptp()  # expect: HAL101[ptp]


def overwrite_first(values):
    arr = np.array(values, dtype=float)
    arr.itemset(0, 1.0)  # expect: HAL101[itemset]
    return arr


def swap_bytes(values):
    return np.array(values, dtype=">i4").newbyteorder()  # expect: HAL101[newbyteorder]


def main():
    print(to_float([1, 2]), fill_missing([1, -1]), bounds())


if __name__ == "__main__":
    main()
