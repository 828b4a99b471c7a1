"""What training starts from and steps through: fresh weights with magenta's initialisers, Adam's state as
checkpoint tensors (named as magenta's TF1 trainer names them, so either trainer resumes the other's checkpoints),
and magenta's learning-rate and KL weight schedules."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from latentlab.model.config import HParams
from latentlab.model.layout import SCOPE, variable_shapes


def init_weights(hps: HParams, seed: int) -> dict[str, np.ndarray]:
    """Fresh weights with magenta's initialisers (glorot-uniform inputs, orthogonal recurrent blocks...).

    Parameters
    ----------
    hps
        The hparams (sizes, cells).
    seed
        Seed of the initialisers.
    """
    rng = np.random.default_rng(seed)
    out = {}
    for name, shape in variable_shapes(hps).items():
        leaf = name.rsplit("/", 1)[-1]
        scope = name.rsplit("/", 2)[-2]
        if leaf == "W_hh":
            blocks = [np.linalg.qr(rng.standard_normal((shape[0], shape[0])))[0][:, :shape[1] // 4]
                      for _ in range(4)]
            value = np.concatenate(blocks, axis=1)
        elif leaf in ("bias", "ln_beta", "output_b", "super_linear_b") and scope != "zw":
            value = np.zeros(shape)
        elif leaf == "ln_gamma":
            value = np.ones(shape)
        elif scope in ("ENC_RNN_mu", "ENC_RNN_sigma", "linear"):
            value = rng.normal(0, 0.001, shape)
        elif scope == "zw":
            value = np.zeros(shape) if leaf == "super_linear_w" else np.ones(shape)
        elif scope == "alpha":
            value = np.full(shape, 0.1 / shape[0])
        elif scope == "zb":
            value = rng.normal(0, 0.01, shape)
        elif scope == "beta":
            value = np.zeros(shape)
        else:  # W_xh, output_w: TF's default glorot uniform
            limit = np.sqrt(6.0 / (shape[0] + shape[-1]))
            value = rng.uniform(-limit, limit, shape)
        out[name] = value.astype(np.float32)
    return out


def adam_slots(names: list[str], m: list, v: list, powers) -> dict[str, np.ndarray]:
    """Adam's state as checkpoint tensors, named as magenta's TF1 Adam names them
    (``<scope>/<variable>/Adam``, ``.../Adam_1``, ``<scope>/beta1_power``...).

    Parameters
    ----------
    names
        Variable names.
    m, v
        Adam's moments, in ``names`` order.
    powers
        beta1 and beta2 to the power of the step.
    """
    out = {f"{SCOPE}/{n}/Adam": np.asarray(x) for n, x in zip(names, m)}
    out.update({f"{SCOPE}/{n}/Adam_1": np.asarray(x) for n, x in zip(names, v)})
    b1, b2 = np.asarray(powers)
    out.update({f"{SCOPE}/beta1_power": np.float32(b1), f"{SCOPE}/beta2_power": np.float32(b2)})
    return out


def read_adam_slots(slots: dict[str, np.ndarray], names: list[str]) -> tuple[list, list, np.ndarray] | None:
    """``adam_slots``' inverse: m and v in ``names`` order and the beta powers; None unless all are there.

    Parameters
    ----------
    slots
        Checkpoint tensors.
    names
        Variable names.
    """
    if not all(f"{SCOPE}/{n}/Adam" in slots and f"{SCOPE}/{n}/Adam_1" in slots for n in names):
        return None
    powers = np.array([slots[f"{SCOPE}/beta1_power"], slots[f"{SCOPE}/beta2_power"]], np.float32)
    return [slots[f"{SCOPE}/{n}/Adam"] for n in names], [slots[f"{SCOPE}/{n}/Adam_1"] for n in names], powers


@dataclass
class Schedule:
    """Magenta's per-step learning rate and KL weight."""

    hps: HParams

    def learning_rate(self, step: int) -> float:
        """Magenta's decayed learning rate at ``step``."""
        h = self.hps
        return (h.learning_rate - h.min_learning_rate) * h.decay_rate ** step + h.min_learning_rate

    def kl_weight(self, step: int) -> float:
        """Magenta's annealed KL weight at ``step``."""
        h = self.hps
        return h.kl_weight - (h.kl_weight - h.kl_weight_start) * h.kl_decay_rate ** step
