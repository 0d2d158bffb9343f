"""How-to: penalties for convolution layers, in the spatial and in the spectral domain.

* Spatial: a ``Conv2d`` kernel ``(c_out, c_in, k, k)`` is equivariant when
  ``K(g·x) = ρ_out(g) K(x) ρ_in(g)⁻¹`` for every grid symmetry ``g``; for the square's
  groups (C4, D4) on an odd grid this is an orbit average over (channel, channel, pixel)
  triples, exact and cheap.
* Spectral: for continuous rotations (SO(2)), parameterise kernels by their harmonic
  coefficients ``c (c_out, c_in, J, 2L+1)``; the projector is a mask keeping the angular
  frequency ``k = m_out − m_in``.  For cyclic groups on regular fields the projector of a
  circulant block is a diagonal mask after an FFT (``CyclicFFTProjection``).
Run it with ``python examples/howto_convolutions.py``.
"""

from __future__ import annotations

import sys

import torch
from torch import nn

import penalties
from reptheory import Representation, groups


def main(fast: bool = False) -> dict[str, float]:
    torch.manual_seed(0)
    # --- spatial: C4 rotations of the pixel grid, regular fields on the channels
    G = groups.square_rotations()
    R, one = Representation.regular(G), Representation.trivial(G)
    conv = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 5, padding=2))
    reg = penalties.EquivarianceRegularizer(conv, penalties.cnn_spec(conv, one, R))
    print("spatial projectors:", [f"{name}: {P}" for name, P in reg.entries()])
    penalties.project_(conv, reg)               # W <- P(W): now exactly C4-equivariant
    x = torch.randn(2, 1, 9, 9)
    err = penalties.equivariance_error(conv, x, one, R, grid=Representation.defining(G))["max"]
    print(f"after projection: penalty {reg().item():.1e}, equivariance error {err:.1e}")

    # --- spectral, SO(2): complex harmonic coefficients with channel frequencies m
    P = penalties.SO2HarmonicProjection(freq_out=[0, 1, 2], freq_in=[0, 1], n_radial=2, max_freq=3)
    coeffs = nn.Parameter(torch.randn(P.shape, dtype=torch.complex64))
    pen = penalties.projection_penalty(coeffs, P)  # add this to the loss
    kernels = P.synthesize(P(coeffs.detach()), 7)  # (3, 2, 7, 7) steerable kernels
    print(f"SO(2) harmonic penalty {pen.item():.2f}; steerable kernels {tuple(kernels.shape)}; "
          f"{P.dim} of {coeffs.numel()} coefficients are equivariant")

    # --- spectral, C_N regular fields: block-circulant weights through the FFT
    N = 16
    lin = nn.Linear(2 * N, 3 * N, bias=False)
    Pc = penalties.CyclicFFTProjection(N, m_out=3, m_in=2)
    P_orbit = penalties.projection_for(2 * Representation.regular(groups.cyclic(N)),
                                       3 * Representation.regular(groups.cyclic(N)))
    same = torch.allclose(Pc(lin.weight.detach()), P_orbit(lin.weight.detach()), atol=1e-5)
    print(f"C_{N}: FFT projector agrees with the orbit projector: {same}")
    return {"spatial_error": err, "fft_agrees": float(same)}


if __name__ == "__main__":
    penalties.configure_threads()  # one torch thread (fastest for small models); PENALTIES_NUM_THREADS=N for more
    main(fast="--fast" in sys.argv)
