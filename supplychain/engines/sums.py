"""Summing lane values per buyer or per supplier, the same bits whatever the memory layout."""

from __future__ import annotations

import numpy as np
from scipy import sparse

__all__ = ["sum_into"]


def sum_into(values: np.ndarray, index: np.ndarray, n: int, summing: sparse.csr_matrix) -> np.ndarray:
    """Sum the columns of ``values`` (R, m) into ``n`` columns by ``index`` (m,); returns (R, n).

    ``summing`` (n, m) is the matching transposed incidence matrix
    (``Compiled.sum_by_buyer`` or ``sum_by_origin``). Every branch sums in
    column order, so all give the same bits; they differ in speed. One run
    (SimPy) uses a bincount, avoiding the ~80 µs overhead of a sparse
    product; runs-last memory (the vector engine keeps its (R, n) arrays
    Fortran-ordered) uses a sparse product over contiguous rows of runs.
    """
    r = values.shape[0]
    if r == 1:
        return np.bincount(index, weights=values[0], minlength=n)[None, :]
    if values.flags.f_contiguous:
        return np.asarray((summing @ values.T).T)
    flat = (np.arange(r)[:, None] * n + index).ravel()
    return np.bincount(flat, weights=values.ravel(), minlength=r * n).reshape(r, n)
