"""Numerical kernels shared by every part of :mod:`reptheory` (private).

- :mod:`reptheory._numerics.tolerance`: the one tolerance policy (dtype → rtol/atol, scale-aware
  relative errors, rank cut-offs).
- :mod:`reptheory._numerics.arrays`: argument checks for matrices and stacks of matrices.
- :mod:`reptheory._numerics.linalg`: the float64 nullspace kernel (stacked Sylvester constraints,
  rank decisions with a reported singular-value gap, orthonormalisation).
- :mod:`reptheory._numerics.exact`: the exact kernel (multi-modular python-flint nullspaces,
  rational reconstruction, sympy fallback), imported lazily by the exact paths.

Nothing here knows about groups or representations.
"""
