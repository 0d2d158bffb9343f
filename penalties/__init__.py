"""penalties: projection-based equivariance regularisers for any torch model (docs/explanation/penalties.md#the-penalty, docs/explanation/convolutions.md#convolutions).

The projection penalty of a layer with weight ``W`` between representations ``ρ_in`` and
``ρ_out`` is ``λ_G ‖P(W)‖² + λ_⊥ ‖W − P(W)‖²`` with ``P`` the Reynolds projector onto
``Hom_G(ρ_in, ρ_out)``.  Adding it to a training loop takes one line:

```text
reg = penalties.EquivarianceRegularizer(model, penalties.mlp_spec(model, rho_in, rho_out))
loss = task_loss + reg()
```

Layout: [`penalties.functional`][penalties.functional] (pure functions), [`penalties.projectors`][penalties.projectors] (torch
projectors with buffers), [`penalties.regularizer`][penalties.regularizer] (model level), [`penalties.spectral`][penalties.spectral]
(FFT, Fourier masks, SO(2) harmonics), [`penalties.spectral3d`][penalties.spectral3d] (SO(3) harmonics), [`penalties.baselines`][penalties.baselines] (sample-based, generator, RPP),
[`penalties.metrics`][penalties.metrics] (the equivariance error), [`penalties.optim`][penalties.optim] (the proximal step
after any optimiser, and the constrained mode's dual ascent).

Examples
--------
>>> import torch
>>> from torch import nn
>>> import penalties
>>> from reptheory import groups, Representation
>>> G = groups.dihedral(4)
>>> model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 1))
>>> spec = penalties.mlp_spec(model, Representation.regular(G), Representation.trivial(G))
>>> reg = penalties.EquivarianceRegularizer(model, spec, lambda_perp=1e-2)
>>> reg().item() > 0
True
"""

from penalties import errors, functional, optim, spectral, spectral3d, threads
from penalties.baselines import (
    GeneratorPenalty,
    GroupAugmentation,
    InterpolatedRotationPenalty,
    RPPConv,
    RPPLinear,
    RPPPathways,
    SampleBasedPenalty,
    layerwise_sample_penalty,
    rotate_images,
    rpp_,
    rpp_lambdas,
)
from penalties.functional import projection_penalty
from penalties.metrics import equivariance_error
from penalties.optim import ProximalEquivariance
from penalties.projectors import (
    BasisProjection,
    IsotypicProjection,
    KernelAverageProjection,
    OrbitProjection,
    Projection,
    as_projection,
    bias_projection_for,
    kernel_projection_for,
    projection_for,
)
from penalties.regularizer import (
    EquivarianceRegularizer,
    LayerSpec,
    cnn_spec,
    constrain_,
    mlp_spec,
    project_,
    regular_spec,
    unconstrain_,
)
from penalties.spectral import CyclicFFTProjection, FourierMaskProjection, SO2HarmonicProjection
from penalties.spectral3d import SO3HarmonicProjection
from penalties.threads import configure_threads

__all__ = [
    "BasisProjection",
    "CyclicFFTProjection",
    "FourierMaskProjection",
    "SO2HarmonicProjection",
    "SO3HarmonicProjection",
    "EquivarianceRegularizer",
    "GeneratorPenalty",
    "GroupAugmentation",
    "InterpolatedRotationPenalty",
    "RPPPathways",
    "IsotypicProjection",
    "KernelAverageProjection",
    "LayerSpec",
    "OrbitProjection",
    "Projection",
    "ProximalEquivariance",
    "RPPConv",
    "RPPLinear",
    "SampleBasedPenalty",
    "as_projection",
    "bias_projection_for",
    "cnn_spec",
    "configure_threads",
    "constrain_",
    "equivariance_error",
    "errors",
    "functional",
    "kernel_projection_for",
    "layerwise_sample_penalty",
    "mlp_spec",
    "optim",
    "project_",
    "projection_for",
    "projection_penalty",
    "regular_spec",
    "rotate_images",
    "rpp_",
    "rpp_lambdas",
    "spectral",
    "spectral3d",
    "threads",
    "unconstrain_",
]
