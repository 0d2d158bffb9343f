"""Numerical kernels shared by every part of `reptheory` (private).

- [`reptheory._numerics.tolerance`][reptheory._numerics.tolerance]: the one tolerance policy (dtype → rtol/atol, scale-aware
  relative errors, rank cut-offs).
- `reptheory._numerics.arrays`: argument checks for matrices and stacks of matrices.
- `reptheory._numerics.linalg`: the float64 nullspace kernel (stacked Sylvester constraints,
  rank decisions with a reported singular-value gap, orthonormalisation).
- `reptheory._numerics.exact`: the exact kernel (multi-modular python-flint nullspaces,
  rational reconstruction, sympy fallback), imported lazily by the exact paths.

Nothing here knows about groups or representations.
"""
