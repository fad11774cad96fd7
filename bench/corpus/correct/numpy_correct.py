"""numpy 2.x code: re-exported functions, ndarray methods, Generator API, dtypes.

`np.bool` and `np.long` exist again in numpy 2; `np.random`/`np.linalg` are reached
through numpy's module __getattr__/submodules.
"""

import numpy as np


def stats(values) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    return {
        "mean": arr.mean(),
        "std": float(arr.std()),
        "max": arr.max(),
        "argmax": int(arr.argmax()),
        "cumsum": arr.cumsum().tolist(),
        "shape": arr.shape,
        "T": arr.T.ndim,
        "ptp": np.ptp(arr),
        "prod": np.prod(arr),
        "all": np.all(arr > -1),
    }


def matrices() -> None:
    a = np.eye(3) * 2.0
    print(np.linalg.inv(a).diagonal(), np.linalg.norm(a), np.linalg.det(a))
    print(a @ np.ones(3), np.dot(a, a).sum(), a.reshape(9).astype(np.int64)[:3])
    print(np.zeros((2, 2)).fill(1.0), np.full(3, 7).item(0), np.arange(6).reshape(2, 3)[:, np.newaxis].shape)


def randomness() -> None:
    rng = np.random.default_rng(0)
    print(rng.integers(3), rng.random(2).round(2), rng.normal(size=2).shape, rng.choice([1, 2, 3]))
    rng.shuffle(np.arange(3))
    np.random.seed(0)
    print(np.random.randint(0, 10), np.random.rand(2).shape, np.random.Generator)


def dtypes() -> None:
    print(np.finfo(1.0).eps, np.iinfo(np.int32).max, np.finfo(np.float32).tiny)
    print(np.array([1, 0], dtype=np.bool).any(), np.array([1], dtype=np.long).dtype, np.bool_(True))
    print(np.float64(1.5).is_integer(), np.int64(3).item(), np.dtype("float32").itemsize)
    print(np.nan, np.inf, np.pi, np.e, np.isnan(np.nan), np.nan_to_num([np.nan]))
    print(np.concatenate([np.zeros(1), np.ones(1)]), np.stack([np.zeros(2)] * 2).shape, np.where([True, False], 1, 0))
    print(np.unique([3, 1, 3], return_counts=True), np.isin([1, 2], [2]), np.trapezoid([1, 2, 3]))


def main() -> None:
    print(stats([1, 2, 3]))
    matrices()
    randomness()
    dtypes()


if __name__ == "__main__":
    main()
