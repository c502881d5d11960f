"""Summing lane values per buyer or per supplier, the same bits whatever the memory layout."""

from __future__ import annotations

import numpy as np
from scipy import sparse

try:  # SciPy's own kernel behind ``csr @ dense``; called directly it skips ~40 µs of dispatch per product
    from scipy.sparse._sparsetools import csr_matvecs as _csr_matvecs
except ImportError:  # pragma: no cover - a SciPy without it: the public product, same numbers
    _csr_matvecs = None

__all__ = ["sum_into", "csr_times"]


def csr_times(m: sparse.csr_matrix, x: np.ndarray) -> np.ndarray:
    """``m @ x`` for a CSR matrix ``m`` (n, k) and a 2-D array ``x`` (k, R); returns (n, R).

    The same bits as ``m @ x`` (it calls the same SciPy kernel, ``csr_matvecs``,
    as SciPy's product does), without the product's per-call dispatch, which
    costs several times the sum itself on the engines' daily arrays.

    Examples
    --------
    >>> m = sparse.csr_matrix(np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]]))
    >>> csr_times(m, np.arange(6.0).reshape(3, 2)).tolist()
    [[8.0, 11.0], [2.0, 3.0]]
    """
    if (_csr_matvecs is None or m.dtype != np.float64 or x.dtype != np.float64 or x.ndim != 2
            or m.format != "csr"):
        return np.asarray(m @ x)
    n, k = m.shape
    out = np.zeros((n, x.shape[1]))
    _csr_matvecs(n, k, x.shape[1], m.indptr, m.indices, m.data, x.ravel(), out.ravel())
    return out


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
        return csr_times(summing, values.T).T
    flat = (np.arange(r)[:, None] * n + index).ravel()
    return np.bincount(flat, weights=values.ravel(), minlength=r * n).reshape(r, n)
