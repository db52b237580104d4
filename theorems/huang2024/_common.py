"""huang2024, shared by every part: the paper, parameters, profiles, the regime, measurements and
the result builders."""
from __future__ import annotations

import sympy as sp

from verifier import (
    Paper,
    Parameter,
    Result,
)
from verifier.spec.figures import Sweep, Trajectory

PAPER = Paper(
    key="huang2024",
    title="On the Comparison between Multi-modal and Single-modal Contrastive Learning",
    authors=("Wei Huang", "Andi Han", "Yongqiang Chen", "Yuan Cao", "Zhiqiang Xu", "Taiji Suzuki"),
    year=2024, venue="NeurIPS 2024", arxiv="2411.02837",
    source="shared/papers/generalization-papers.md (section C)",
)

CHECK = "checks.contrastive:contrastive_comparison"

# ---------------------------------------------------------------------------------------------
# Parameters (every key the check reads, plus eps and delta of the statements).
# ---------------------------------------------------------------------------------------------
PARAMETERS = (
    Parameter("d", "dimension of each patch", lower=1, integer=True),
    Parameter("n", "training pairs", lower=4, integer=True),
    Parameter("m", "embedding width (neurons per encoder)", lower=1, integer=True),
    Parameter("tau", "temperature of the InfoMax loss", lower=0),
    Parameter("sigma0", "initialisation standard deviation", lower=0),
    Parameter("sigma_xi", "noise standard deviation (both modalities)", lower=0),
    Parameter("sigma_eps", "augmentation noise standard deviation (eq. 5)", lower=0),
    Parameter("eta", "learning rate of full-batch gradient descent", lower=0),
    Parameter("steps", "gradient-descent iterations", lower=1, integer=True),
    Parameter("record_every", "iterations between recorded coefficients", lower=1, integer=True),
    Parameter("C_mu", "||mu~|| / ||mu|| (Assumption 4.1(7))", lower=0),
    Parameter("snr_lo", "smallest n SNR^2 of the grid", lower=0),
    Parameter("snr_hi", "largest n SNR^2 of the grid", lower=0),
    Parameter("snr_points", "points of the geometric n SNR^2 grid", lower=0, integer=True),
    Parameter("snr_regime", "n SNR^2 at which the theorems are read", lower=0),
    Parameter("snr_paper", "n SNR^2 of the paper's section-6 experiment (||mu|| = 5, d = 2000, n = 100)", lower=0),
    Parameter("nu_frac", "paper OOD test signal nu = nu_frac mu (section 6)", lower=0),
    Parameter("kappa", "theory D_test: <nu, mu> = kappa ||mu||^2 / sqrt d, ||nu|| = ||mu||", lower=0),
    Parameter("n_probe", "samples the downstream linear probe is trained on", lower=2, integer=True),
    Parameter("n_test", "samples the downstream error is measured on", lower=1, integer=True),
    Parameter("probe_l2", "L2 penalty of the logistic-regression probe", lower=0),
    Parameter("probe_iters", "Newton iterations of the probe", lower=1, integer=True),
    Parameter("window_frac", "growth rates are fitted over t <= window_frac * T1", lower=0, upper=1),
    Parameter("explicit_steps", "GD steps on the explicit weights (eq. 11 check; 0: skipped)", lower=0, integer=True),
    Parameter("eps", "target training loss epsilon of Theorems 4.2-4.3", lower=0),
    Parameter("delta", "failure probability delta of the appendix lemmas", lower=0, upper=1),
)
_P = {p.name: sp.Symbol(p.name) for p in PARAMETERS}
d, n, m, tau, sigma0, sigma_xi, sigma_eps, eta, C_mu = (_P[k] for k in (
    "d", "n", "m", "tau", "sigma0", "sigma_xi", "sigma_eps", "eta", "C_mu"))
snr_regime, snr_paper, eps, delta = _P["snr_regime"], _P["snr_paper"], _P["eps"], _P["delta"]

_COMMON = {"tau": 1.0, "sigma_xi": 1.0, "sigma_eps": 0.1, "C_mu": 3.0, "snr_regime": 1.75, "snr_paper": 1.25,
           "nu_frac": 0.4, "kappa": 1.0, "n_probe": 200, "probe_l2": 1e-3, "probe_iters": 25, "window_frac": 0.5,
           "eps": 0.05, "delta": 0.1, "snr_lo": 0.25, "snr_hi": 8.0}
_PHASE = {
    "quick": {**_COMMON, "d": 1024, "n": 32, "m": 16, "sigma0": 1e-3, "eta": 32 * 16 / (12 * 1024), "steps": 400,
              "record_every": 10, "snr_points": 11, "n_test": 1000, "explicit_steps": 5},
    "full": {**_COMMON, "d": 10000, "n": 100, "m": 32, "sigma0": 1e-3, "eta": 100 * 32 / (12 * 10000), "steps": 1000,
             "record_every": 10, "snr_points": 16, "n_probe": 400, "n_test": 2000, "explicit_steps": 5},
}
_STAGE = {
    "quick": {**_COMMON, "d": 10000, "n": 100, "m": 16, "sigma0": 1e-3, "eta": 100 * 16 / (12 * 10000), "steps": 120,
              "record_every": 1, "snr_points": 0, "n_test": 400, "explicit_steps": 0},
    "full": {**_COMMON, "d": 40000, "n": 200, "m": 32, "sigma0": 5e-4, "eta": 200 * 32 / (12 * 40000), "steps": 150,
             "record_every": 1, "snr_points": 0, "n_test": 400, "explicit_steps": 0},
}
_PAPER = {
    "quick": {**_COMMON, "d": 2000, "n": 100, "m": 50, "sigma0": 1e-3, "eta": 1.0, "steps": 200, "record_every": 10,
              "snr_lo": 0.2, "snr_hi": 7.2, "snr_points": 0, "n_test": 1000, "explicit_steps": 0},
    "full": {**_COMMON, "d": 2000, "n": 100, "m": 50, "sigma0": 1e-3, "eta": 1.0, "steps": 200, "record_every": 10,
             "snr_lo": 0.2, "snr_hi": 7.2, "snr_points": 7, "n_test": 2000, "explicit_steps": 0},
}
# The first stage at n = 200, where C.11's own condition M ~ n/2 >= 99 holds (quick: only the steps up to its
# window, t <= window_frac T1 ~ 34, are trained, with sigma0 = 5e-4 as Assumption 4.1(3) asks at d = 4e4;
# full: the STAGE run, already at n = 200).
_STAGE_LARGE_N = {"quick": {**_STAGE["quick"], "d": 40000, "n": 200, "sigma0": 5e-4, "eta": 200 * 16 / (12 * 40000),
                            "steps": 40},
                  "full": _STAGE["full"]}
_REPLICAS = {"PHASE": {"quick": 8, "full": 64}, "STAGE": {"quick": 8, "full": 32}, "PAPER": {"quick": 8, "full": 64},
             "STAGE_LARGE_N": {"quick": 8, "full": 32}}
_PROFILES = {"PHASE": _PHASE, "STAGE": _STAGE, "PAPER": _PAPER, "STAGE_LARGE_N": _STAGE_LARGE_N}

# ---------------------------------------------------------------------------------------------
# Derived symbols (note section S): ||mu||, SNR, a, b at the regime point.
# ---------------------------------------------------------------------------------------------
MU_NORM = sp.sqrt(snr_regime * d / n) * sigma_xi                 # ||mu|| at n SNR^2 = snr_regime
SNR = sp.sqrt(snr_regime / n)
A_RATE = eta * MU_NORM ** 2 / (m * tau)                          # a = eta ||mu||^2 / (m tau)
B_RATE = eta * sigma_xi ** 2 * d / (n * m * tau)                 # b = eta sigma_xi^2 d / (n m tau)
SINGLE_THRESHOLD = sp.Rational(9, 5)                             # n SNR^2 <= 1.8 (proof of Lemma 5.2)
MULTI_THRESHOLD = sp.Rational(221, 49)                           # C_mu n SNR^2 >= 221/49 (proof of Lemma 5.4)

# Finite-size reading of Assumption 4.1 (polylogarithmic factors read as 10 where a constant is needed).
_REGIME = (
    sp.Ge(d, n ** 2),                                            # 4.1(1), first term
    sp.Le(12 * B_RATE, 1 + sp.Float(1e-9)),                      # 4.1(2) with the constant of C.13 (b <= 1/12)
    sp.Le(10 * sigma0 * sigma_xi * sp.sqrt(d), 1),               # 4.1(3): sigma0 <= 1/(10 sigma_xi sqrt d)
    sp.Le(10 * sigma0 * C_mu * MU_NORM, 1),                      # 4.1(3): sigma0 <= 1/(10 ||mu~||)
    sp.Le(10 * sigma_eps, sigma_xi),                             # 4.1(5): sigma_eps <= sigma_xi / 10
)
_SINGLE_SNR = (sp.Le(snr_regime, SINGLE_THRESHOLD),)
_MULTI_SNR = (sp.Ge(snr_regime, sp.Rational(17, 10)), sp.Ge(C_mu, sp.Rational(133, 50)))
_LARGE_N_C4 = (sp.Ge(n, 2500 * sp.log(4 / delta)),)             # C.4 / D.4: n >= 2500 log(4/delta)
_LARGE_M = (sp.Ge(n / 2, 99),)                                  # C.11: M ~ n/2 >= 100 C_l - 1 with C_l > 1
# B.2 (behind C.3): d >= 400 n/(sigma0 sigma_xi) sqrt(log(6n/delta) / (-pi log(1 - delta^2/(4 m^2))))
_B2_DIMENSION = (sp.Ge(d, 400 * n / (sigma0 * sigma_xi)
                       * sp.sqrt(sp.log(6 * n / delta) / (-sp.pi * sp.log(1 - delta ** 2 / (4 * m ** 2))))),)

# ---------------------------------------------------------------------------------------------
# Measurements (names returned by the check)
# ---------------------------------------------------------------------------------------------
MEASURES = {
    "loss_single_reg": "single-modal training loss at the last step, n SNR^2 = snr_regime",
    "loss_multi_reg": "multi-modal training loss (both directions, eq. 9) at the last step, n SNR^2 = snr_regime",
    "loss_single_init": "single-modal training loss at initialisation",
    "loss_multi_init": "multi-modal training loss at initialisation",
    "log1pM": "mean over anchors of log(1 + M_i), M_i = number of opposite-label negatives",
    "ratio_single_reg": "max_r |gamma_r| / max_{r,i} rho_{r,i} of the single-modal encoder at the last step",
    "ratio_multi_reg": "the same for the multi-modal encoder of modality 1",
    "signal_single_reg": "max_r |gamma_r| (single-modal, last step)",
    "signal_multi_reg": "max_r |gamma_r| (multi-modal, modality 1, last step)",
    "noise_single_reg": "max_{r,i} rho_{r,i} (single-modal, last step)",
    "noise_multi_reg": "max_{r,i} rho_{r,i} (multi-modal, modality 1, last step)",
    "err_dtest_single_reg": "probe error on D_test (<nu, mu> = kappa ||mu||^2/sqrt d), single-modal encoder",
    "err_dtest_multi_reg": "probe error on D_test, multi-modal encoder",
    "err_dtest_perp_single_reg": "probe error on D_test with the test noise projected orthogonally to mu (diagnostic)",
    "err_dtest_perp_multi_reg": "the same for the multi-modal encoder (diagnostic)",
    "err_ood_single_reg": "probe error on the paper's OOD test (nu = nu_frac mu), single-modal",
    "err_ood_multi_reg": "probe error on the paper's OOD test, multi-modal",
    "err_id_single_reg": "probe error in distribution (nu = mu), single-modal",
    "err_id_multi_reg": "probe error in distribution, multi-modal",
    "crossing_single": "n SNR^2 where max|gamma|/max rho of the single-modal encoder first reaches 1 (grid, log-log interpolation)",
    "crossing_multi": "the same for the multi-modal encoder",
    "ood_half_single": "n SNR^2 where the single-modal OOD error first falls to 0.25",
    "ood_half_multi": "n SNR^2 where the multi-modal OOD error first falls to 0.25",
    "lemma51_err": "max relative deviation of the recursion (12)-(13) from the autograd GD increment of (gamma, rho)",
    "lemma51_err_noneg": "min relative deviation of (12)-(13) with its negatives' term dropped (control)",
    "lemma53_err": "max relative deviation of the recursion (15)-(16) from the autograd GD increment",
    "lemma53_err_noneg": "min relative deviation of (15)-(16) with its negatives' term dropped (control)",
    "grad_autograd_err": "max relative deviation of the applied GD increments (written-out gradient) from autograd's",
    "span_err": "||W_explicit - (W0 + gamma mu/||mu||^2 + sum rho_i xi_i/||xi_i||^2)|| / ||W_explicit - W0|| after explicit_steps",
    "span_err_nosignal": "the same without the signal term (control)",
    "homogeneity": "<grad_W S(W), W> / S(W) for the summed stop-gradient similarity S",
    "rate_signal_single": "slope of log max_r A_r^(t) over t <= window_frac T1 (single-modal)",
    "rate_noise_single": "slope of log of the mean Psi_{r,i}^(t) over pairs with <w0_r, xi_i> > 0 (single-modal)",
    "rate_signal_multi": "slope of log max over aligned neurons of (C_mu A_r + A~_r) (multi-modal)",
    "rate_noise_multi": "slope of log max_{r,i} Psi_{r,i}^(t) (multi-modal)",
    "T1_single": "T1 of Lemma 5.2", "T1_multi": "T1 of Lemma 5.4",
    "c11_pair_frac": "fraction of pairs with <w0_r, xi_i> > 0 meeting Psi^(t) >= (1 + 0.96 b)^t Psi^(0) at t = window_frac T1",
    "maxA_T1_single": "max_r A_r at T1 (single-modal)",
    "psi_avg_min_T1_single": "min_i (1/m) sum_{r: <w0_r, xi_i> > 0} Psi_{r,i} at T1 (single-modal)",
    "syncA_avg_min_T1_multi": "min of (1/m) sum A_r over U+ cap U~+ and over U- cap U~- at T1 (multi-modal)",
    "psi_max_T1_multi": "max_{r,i} Psi_{r,i} at T1 (multi-modal)",
    "rho_maxmin_T1_single": "min_i max_r rho_{r,i} at T1 (single-modal; Lemma 5.2's conclusion)",
    "gamma_max_T1_multi": "max_r gamma_r at T1 (multi-modal; Lemma 5.4's conclusion)",
    "rho_max_T1_multi": "max_{r,i} rho_{r,i} at T1 (multi-modal)",
    "flipped_single": "fraction of neurons whose sign <w_r, mu> ever left its initial value (single-modal)",
    "flipped_multi": "the same in the multi-modal encoder",
    "rho_moved_neg": "fraction of pairs with <w0_r, xi_i> < 0 whose rho_{r,i} ever left 0 (single-modal)",
    "rho_moved_pos": "fraction of pairs with <w0_r, xi_i> > 0 whose rho_{r,i} left 0 (single-modal)",
    "rho_neg_rel": "max |rho| over pairs with <w0_r, xi_i> < 0 over max rho over the others (single-modal)",
    "mismatch_init": "fraction of neurons with sign <w_r, mu> != sign <w~_r, mu~> at initialisation",
    "mismatch_end": "the same at the last step",
    "resynced_multi": "fraction of initially mismatched neurons that became matched",
    "loss_single_paper": "single-modal training loss at the last step, n SNR^2 = snr_paper",
    "loss_multi_paper": "multi-modal training loss at the last step, n SNR^2 = snr_paper",
    "err_ood_single_paper": "single-modal probe error on the OOD test nu = nu_frac mu at snr_paper",
    "err_ood_multi_paper": "multi-modal probe error on the OOD test at snr_paper",
    "err_id_single_paper": "single-modal probe error in distribution at snr_paper",
    "err_id_multi_paper": "multi-modal probe error in distribution at snr_paper",
    "signal_single_paper": "max_r |gamma_r| at snr_paper (single-modal)",
    "signal_multi_paper": "max_r |gamma_r| at snr_paper (multi-modal)",
    "noise_single_paper": "max_{r,i} rho_{r,i} at snr_paper (single-modal)",
    "noise_multi_paper": "max_{r,i} rho_{r,i} at snr_paper (multi-modal)",
    # appendix lemmas along the run (issue #6)
    "Cl_single": "smallest C_l with 1/(C_l(1+M_i)) <= l' <= C_l/(1+M_i) over anchors, negatives and t <= T1 (single)",
    "Cl_multi": "the same over both directions of the multi-modal loss, t <= T1 of Lemma 5.4",
    "c1_xi_single": "max over r, i, t <= T1 of |<w^(t)_r - w^(0)_r, xi_i> - rho_{r,i}| (single)",
    "c1_mu_single": "max over r, t <= T1 of |<w^(t)_r - w^(0)_r, mu> - gamma_r| / ||mu|| (single)",
    "c1_xi_multi": "the same as c1_xi_single over both multi-modal encoders, t <= T1 of Lemma 5.4",
    "c1_mu_multi": "the same as c1_mu_single over both multi-modal encoders (each in units of its ||mu||)",
    "d8_plus": "max over r, label sign, 1 <= t <= T1 of B^(t)_{r,+-,+} / ((1 + 1.05 b)^t B^(0)_{r,+-,+}) (modality 1)",
    "d8_minus": "max over r, label sign, 1 <= t <= T1 of B^(t)_{r,+-,-} / B^(0)_{r,+-,-} (modality 1)",
    "coef_max_single": "max over the run of |gamma_r|, |rho_{r,i}| (single-modal)",
    "coef_max_multi": "the same over both multi-modal encoders",
    "c14_q_max": "max over the run of ||grad_W L||_F^2 / (max(||mu||^2, sigma_xi^2 d) L) (single-modal)",
    "d11_q_max": "the same for each multi-modal encoder (its own ||mu||, ||mu~||; L the loss (9)), the larger",
    "c18_min_loss": "smallest single-modal loss over the steps of [T1, min(T, steps)]",
    "c18_avg_excess": "largest excess of the running average of L from T1 over ||W(T1) - W*||^2/(eta (t-T1+1)) + eps",
    "c18_avg_max": "largest running average of L from T1 over the window (control)",
    "c18_gamma_max": "max |gamma_r| on the recorded steps of [T1, T] (single-modal)",
    "c18_T": "T = T1 + floor(||W(T1) - W*||^2/(eta eps)) of C.18",
    "c18_dist2": "||W^(T1) - W*||_F^2 with w*_r = w0_r + 2 tau log(2M/eps) sum_i xi_i/||xi_i||^2",
    "d15_min_loss": "smallest multi-modal loss over the steps of [T1, min(T, steps)]",
    "d15_avg_excess": "largest excess of the running average over (dist2)/(eta (t-T1+1)) + 2 eps",
    "d15_avg_max": "largest running average of L from T1 over the window (control)",
    "d15_rho_max": "max |rho|, |rho~| on the recorded steps of [T1, T] (multi-modal)",
    "d15_T": "T of D.15",
    "c18_step_margin": "min over T1 <= t < steps of ||W(t) - W*||^2 - ||W(t+1) - W*||^2 - eta L(t) + eta eps (single)",
    "d15_step_margin": "the same summed over both encoders with the multi-modal loss and 2 eta eps",
    "d15_dist2": "||W(T1) - W*||_F^2 + ||W~(T1) - W~*||_F^2 with w*_r = w0_r + 2 tau log(2M/eps) theta_r mu/||mu||^2",
}
S = {name: sp.Symbol(name) for name in MEASURES}


def _measures(*names: str) -> dict[str, str]:
    return {name: MEASURES[name] for name in names}


def _result(instance: str, measures: tuple[str, ...], replicas: dict[str, int] | None = None, **fields) -> Result:
    return Result(paper=PAPER, parameters=PARAMETERS, profiles=_PROFILES[instance],
                  replicas=replicas or _REPLICAS[instance], check=CHECK, measures=_measures(*measures), **fields)


# Plots (the regime point is index 0 of the point axis, the paper point index 1).
_TRAJ_PLOTS = (
    Trajectory(y="loss_single_traj", x="steps_rec", time_axis=2, select=((1, 0),), title="single-modal training loss (regime point)"),
    Trajectory(y="loss_multi_traj", x="steps_rec", time_axis=2, select=((1, 0),), title="multi-modal training loss (regime point)"),
    Trajectory(y="signal_single_traj", x="steps_rec", time_axis=2, select=((1, 0),), title="single-modal signal learning max|gamma|"),
    Trajectory(y="noise_single_traj", x="steps_rec", time_axis=2, select=((1, 0),), title="single-modal noise memorisation max rho"),
    Trajectory(y="signal_multi_traj", x="steps_rec", time_axis=2, select=((1, 0),), title="multi-modal signal learning max|gamma|"),
    Trajectory(y="noise_multi_traj", x="steps_rec", time_axis=2, select=((1, 0),), title="multi-modal noise memorisation max rho"),
)
_GRID_PLOTS = (
    Sweep(x="nsnr2_grid", measured="ratio_single_grid", log=True, title="single-modal max|gamma| / max rho vs n SNR^2",
          xlabel="n SNR^2", ylabel="ratio"),
    Sweep(x="nsnr2_grid", measured="ratio_multi_grid", log=True, title="multi-modal max|gamma| / max rho vs n SNR^2",
          xlabel="n SNR^2", ylabel="ratio"),
    Sweep(x="nsnr2_grid", measured="err_dtest_single_grid", title="single-modal D_test error vs n SNR^2", xlabel="n SNR^2"),
    Sweep(x="nsnr2_grid", measured="err_dtest_multi_grid", title="multi-modal D_test error vs n SNR^2", xlabel="n SNR^2"),
    Sweep(x="nsnr2_grid", measured="err_ood_single_grid", title="single-modal OOD (nu = 0.4 mu) error vs n SNR^2", xlabel="n SNR^2"),
    Sweep(x="nsnr2_grid", measured="err_ood_multi_grid", title="multi-modal OOD (nu = 0.4 mu) error vs n SNR^2", xlabel="n SNR^2"),
)

