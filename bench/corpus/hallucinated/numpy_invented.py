"""Tiny neural-net helpers with invented numpy functions and methods.

`np.zeros(...)`/`np.arange(...)` results are ndarrays; their missing methods are
labelled even though instance inference through numpy's stubs may be hard (recall).
"""

import numpy as np


def softmax(logits):
    return np.softmax(logits, axis=-1)  # expect: HAL101[softmax]


def activate(x):
    return np.relu(x) + np.sigmoid(x)  # expect: HAL101[relu], HAL101[sigmoid]


def unit(x):
    return np.normalize(x)  # expect: HAL101[normalize]


def invert(matrix):
    return np.linalg.fast_inverse(matrix)  # expect: HAL101[fast_inverse]


def invert_again(matrix):
    return np.linalg.inverse(matrix)  # expect: HAL101[inverse]


def init_weights(n_in, n_out, seed=0):
    rng = np.random.default_rng(seed)
    mask = rng.randint(0, 2, size=(n_in, n_out))  # expect: HAL101[randint]
    noise = rng.randn(n_in, n_out)  # expect: HAL101[randn]
    return mask * noise


def sample_ids(n):
    return np.random.integers(0, 100, size=n)  # expect: HAL101[integers]


def pick(options, k):
    return np.random.default_rng().choices(options, k=k)  # expect: HAL101[choices]


def bias(n):
    return np.zeros(n).to_list()  # expect: HAL101[to_list]


def grow(n):
    arr = np.arange(n)
    arr.append(n)  # expect: HAL101[append]
    arr.push(n + 1)  # expect: HAL101[push]
    return arr.length  # expect: HAL101[length]


def main():
    print(softmax(np.array([1.0, 2.0])), bias(3), grow(3))


if __name__ == "__main__":
    main()
