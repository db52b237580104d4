"""huang2024, appendices C and D read along training (``checks.contrastive``): the first-stage lemmas
C.3, C.4, C.7, C.11, D.3, D.4, D.9 and the trajectory lemmas C.1, C.2, C.13, C.14, C.17, C.18, D.1,
D.2, D.8, D.11, D.14, D.15."""
from __future__ import annotations

import sympy as sp

from theorems.huang2024._common import (
    _B2_DIMENSION,
    _LARGE_M,
    _LARGE_N_C4,
    _MULTI_SNR,
    _P,
    _REGIME,
    _SINGLE_SNR,
    A_RATE,
    B_RATE,
    SNR,
    C_mu,
    S,
    _result,
    d,
    delta,
    eps,
    eta,
    m,
    n,
    sigma0,
    sigma_xi,
    tau,
)
from theorems.huang2024.appendix_init import _C6_PRINTED
from verifier import Bound, Kind, Probability

# ---------------------------------------------------------------------------------------------
# Appendix C/D lemmas with a measurable statement.
# ---------------------------------------------------------------------------------------------
_HALF_NEURON = 1 / (2 * m)
LEMMA_C_3 = _result(
    "PHASE", ("flipped_single", "flipped_multi"),
    id="huang2024/lemma-c.3", kind=Kind.LEMMA, number="C.3", title="Single-modal signal signs are frozen",
    tag="FOUND (primary)", uses=("huang2024/lemma-5.1", "huang2024/lemma-b.2", "huang2024/lemma-c.1"),
    assumptions=_REGIME + _SINGLE_SNR + _B2_DIMENSION,
    statement=r"U^{(t)}_\pm=U^{(0)}_\pm,\quad \gamma^{(t)}_r\ \text{keeps the sign of}\ \langle\mathbf w^{(0)}_r,\boldsymbol\mu\rangle",
    reading="'No neuron changes the sign of <w_r, mu>' is read as: the fraction of neurons whose sign ever left its "
            "initial value (over all steps, at n SNR^2 = snr_regime) is below 1/(2m) on average (less than half a "
            "neuron per network). Control: the same measurement on the multi-modal encoder, whose mismatched neurons "
            "do change sign (D.3(3)). B.2's dimension condition (an assumption here) needs d of order 1e10 at these "
            "n, m, sigma0: a FAIL here says the lemma needs it.",
    claims=(Bound("fraction of sign changes <= 1/(2m)", quantity=S["flipped_single"], relation="<=", bound=_HALF_NEURON,
                  explicit_control=Bound("control: multi-modal sign changes <= 1/(2m)", quantity=S["flipped_multi"],
                                         relation="<=", bound=_HALF_NEURON, support=(0, 1)), support=(0, 1)),),
)
LEMMA_C_7 = _result(
    "PHASE", ("rho_moved_neg", "rho_moved_pos", "rho_neg_rel"),
    id="huang2024/lemma-c.7", kind=Kind.LEMMA, number="C.7", title="Noise coefficients stay zero on I_-",
    tag="FOUND (primary)", uses=("huang2024/lemma-5.1", "huang2024/lemma-c.6", "huang2024/lemma-c.1"),
    assumptions=_REGIME + _SINGLE_SNR + (sp.Ge(d, _C6_PRINTED),),  # inherits C.6's d-condition
    statement=r"I^{(t)}_{r,-}=I^{(0)}_{r,-},\quad\rho^{(t)}_{r,i}=0\ \ \forall i\in I^{(0)}_{r,-}",
    reading="Read as: at most 1% of the pairs (r, i) with <w0_r, xi_i> < 0 ever get a non-zero rho (single-modal, "
            "n SNR^2 = snr_regime, all steps). Control: the same fraction on the pairs with <w0_r, xi_i> > 0, which "
            "all move. C.6's condition |<w0_r, xi_i>| > 150 n sqrt(log(6n^2/delta)/d) is far from met; "
            "'rho_neg_rel' (largest |rho| on I_- over the largest on I_+) is recorded beside it.",
    claims=(Bound("fraction of I_- pairs with rho != 0 <= 0.01", quantity=S["rho_moved_neg"], relation="<=",
                  bound=sp.Rational(1, 100),
                  explicit_control=Bound("control: fraction of I_+ pairs with rho != 0 <= 0.01",
                                         quantity=S["rho_moved_pos"], relation="<=", bound=sp.Rational(1, 100),
                                         support=(0, 1)), support=(0, 1)),),
)
LEMMA_D_3 = _result(
    "PHASE", ("mismatch_init", "mismatch_end", "resynced_multi"),
    id="huang2024/lemma-d.3", kind=Kind.LEMMA, number="D.3", title="Multi-modal neurons synchronise",
    tag="FOUND (primary)", uses=("huang2024/lemma-5.3", "huang2024/lemma-b.2", "huang2024/lemma-d.2"),
    assumptions=_REGIME + _MULTI_SNR,
    statement=(r"U^{(t)}_\pm\cap\tilde U^{(t)}_\pm=U^{(0)}_\pm\cap\tilde U^{(0)}_\pm;\ r\in U^{(0)}_\pm\cap\tilde U^{(0)}_\mp"
               r"\Rightarrow\exists t':\ r\in U^{(t')}_+\cap\tilde U^{(t')}_+\ \text{or}\ U^{(t')}_-\cap\tilde U^{(t')}_-"),
    reading="Read at the last step (n SNR^2 = snr_regime): the fraction of neurons with sign <w_r, mu> != sign "
            "<w~_r, mu~> is below 1/(2m) on average. Control: the same fraction at initialisation (about 1/2).",
    claims=(Bound("mismatched fraction at the end <= 1/(2m)", quantity=S["mismatch_end"], relation="<=",
                  bound=_HALF_NEURON,
                  explicit_control=Bound("control: mismatched fraction at initialisation <= 1/(2m)",
                                         quantity=S["mismatch_init"], relation="<=", bound=_HALF_NEURON, support=(0, 1)),
                  support=(0, 1)),),
)

_RATE_READING = (
    "First-stage growth rate, read as the least-squares slope of the log of the quantity over the recorded steps "
    "t <= window_frac * T1 (T1 of Lemma 5.2 resp. 5.4, at n SNR^2 = snr_regime, recorded every step), against "
    "log(1 + c x) for the stated constant c. Control: the bound doubled (lower bound) or halved (upper bound).")
LEMMA_C_4 = _result(
    "STAGE", ("rate_signal_single", "T1_single"),
    id="huang2024/lemma-c.4", kind=Kind.LEMMA, number="C.4", title="Single-modal signal grows at most at rate 0.52 a",
    tag="FOUND (primary); the exponent t missing in print",
    uses=("huang2024/lemma-5.1", "huang2024/lemma-c.3", "huang2024/lemma-b.2", "huang2024/lemma-b.3",
          "huang2024/lemma-c.1", "huang2024/lemma-c.2"),
    assumptions=_REGIME + _SINGLE_SNR + _LARGE_N_C4,
    statement=r"A^{(t)}_r\le\Big(1+0.52\frac{\eta\|\boldsymbol\mu\|^2}{m\tau}\Big)^tA^{(0)}_r",
    reading=_RATE_READING + " Quantity: max_r A_r^(t).",
    claims=(Bound("rate of max A <= log(1 + 0.52 a)", quantity=S["rate_signal_single"], relation="<=",
                  bound=sp.log(1 + sp.Rational(13, 25) * A_RATE)),),
)
LEMMA_C_11 = _result(
    "STAGE_LARGE_N", ("c11_pair_frac", "rate_noise_single", "T1_single"),
    id="huang2024/lemma-c.11", kind=Kind.LEMMA, number="C.11 (22)",
    title="Single-modal noise memorisation grows at least at rate 0.96 b", tag="FOUND (primary)",
    uses=("huang2024/lemma-5.1", "huang2024/lemma-c.7", "huang2024/lemma-c.10", "huang2024/lemma-c.5",
          "huang2024/lemma-c.8", "huang2024/lemma-b.5", "huang2024/lemma-c.1", "huang2024/lemma-c.2"),
    assumptions=_REGIME + _SINGLE_SNR + _LARGE_M,
    statement=r"\Psi^{(t)}_{r,i}\ge\Big(1+0.96\frac{\eta\sigma_\xi^2d}{nm\tau}\Big)^t\Psi^{(0)}_{r,i}",
    reading="The statement is about every pair (r, i) with <w0_r, xi_i> > 0, w.p. >= 1 - delta: read as the "
            "fraction of those pairs that meet (22) at t = window_frac T1 (single-modal, n SNR^2 = snr_regime) "
            "being >= 1 - delta on average over replicas. Run at n = 200, where the lemma's own condition M ~ n/2 "
            ">= 100 C_l - 1 holds (d = n^2 = 4e4, sigma0 = 5e-4, b = 1/12; the quick profile trains only the 40 "
            "steps its window needs). Recorded beside it: the growth rate of the mean Psi over the window "
            "(rate_noise_single), which the note's recursion B_+- <- B_+- + b (B_+- - B_-+/2) expects below 0.96 b.",
    claims=(Bound("fraction of pairs meeting (22) at t = window_frac T1 >= 1 - delta", quantity=S["c11_pair_frac"],
                  relation=">=", bound=1 - delta, support=(0, 1)),),
)
LEMMA_D_4 = _result(
    "STAGE", ("rate_signal_multi", "T1_multi"),
    id="huang2024/lemma-d.4", kind=Kind.LEMMA, number="D.4 (41)", title="Multi-modal signal grows at rate 0.48 C_mu a",
    tag="FOUND (primary)",
    uses=("huang2024/lemma-5.3", "huang2024/lemma-d.3", "huang2024/lemma-b.3", "huang2024/lemma-d.1"),
    assumptions=_REGIME + _MULTI_SNR + _LARGE_N_C4,
    statement=r"C_\mu A^{(t)}_r+\tilde A^{(t)}_r\ge\Big(1+0.48\frac{\eta\|\boldsymbol\mu\|^2C_\mu}{m\tau}\Big)^t(C_\mu A^{(0)}_r+\tilde A^{(0)}_r)",
    reading=_RATE_READING + " Quantity: the largest C_mu A_r + A~_r over the neurons aligned at initialisation.",
    claims=(Bound("rate of C_mu A + A~ >= log(1 + 0.48 C_mu a)", quantity=S["rate_signal_multi"], relation=">=",
                  bound=sp.log(1 + sp.Rational(12, 25) * C_mu * A_RATE)),),
)
LEMMA_D_9 = _result(
    "STAGE", ("rate_noise_multi", "T1_multi"),
    id="huang2024/lemma-d.9", kind=Kind.LEMMA, number="D.9 (45)",
    title="Multi-modal noise memorisation grows at most at rate 1.06 b", tag="FOUND (primary); superscript typo fixed in the note",
    uses=("huang2024/lemma-5.3", "huang2024/lemma-d.8", "huang2024/lemma-d.1", "huang2024/lemma-d.2"),
    assumptions=_REGIME + _MULTI_SNR,
    statement=r"\Psi^{(t)}_{r,i}\le\Big(1+1.06\frac{\eta\sigma_\xi^2d}{nm\tau}\Big)^t(\Psi^{(0)}_{r,i}+\tilde\Psi^{(0)}_{r,i})",
    reading=_RATE_READING + " Quantity: max_{r,i} Psi_{r,i} (pairs with <w0_r, xi_i> > 0).",
    claims=(Bound("rate of max Psi <= log(1 + 1.06 b)", quantity=S["rate_noise_multi"], relation="<=",
                  bound=sp.log(1 + sp.Rational(53, 50) * B_RATE)),),
)

# ---------------------------------------------------------------------------------------------
# Trajectory lemmas of the appendix measured by the training check (issue #6, phase 2).
# ---------------------------------------------------------------------------------------------
_STEPS = _P["steps"]
_ALPHA = sp.log(3 * (n / 2) * _STEPS)                           # alpha = log(3 M T*), M = n/2, T* = steps
_C1_XI = 5 * sp.sqrt(sp.log(6 * n ** 2 / delta) / d) * n
_C1_MU = sp.sqrt(8 * sp.log(6 * n / delta)) * n / (sigma_xi * d)  # SNR sqrt(8 log(6n/delta)/d) n / ||mu||
_MEAN_READING = ("'With probability >= 1 - delta' is read on the replicas' own maxima: the t-interval over replicas "
                 "of (the largest deviation over r, i and the recorded steps) - bound must lie below 0 (8 replicas "
                 "are too few for a Clopper-Pearson reading at delta = 0.1). ")
_FIRST_STAGE = "The hypothesis 'gamma, rho = O(1)' is read as the first stage, t <= T1 (recorded every step, n SNR^2 = 1.75). "
LEMMA_C_1 = _result(
    "STAGE", ("c1_xi_single", "c1_mu_single", "T1_single"),
    id="huang2024/lemma-c.1", kind=Kind.LEMMA, number="C.1", title="Coefficients read off the weights",
    tag="FOUND (primary)", uses=("huang2024/definition-eq11", "huang2024/lemma-b.4", "huang2024/lemma-b.5"),
    assumptions=_REGIME + _SINGLE_SNR,
    statement=(r"\gamma,\rho=O(1)\Rightarrow|\langle\mathbf w^{(t)}_r-\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle-\rho^{(t)}_{r,i}|"
               r"\le5\sqrt{\log(6n^2/\delta)/d}\,n,\ |\langle\mathbf w^{(t)}_r-\mathbf w^{(0)}_r,\boldsymbol\mu\rangle-\gamma^{(t)}_r|"
               r"\le\mathrm{SNR}\sqrt{8\log(6n/\delta)/d}\,n"),
    reading=_MEAN_READING + _FIRST_STAGE + "Both deviations are exact functions of the coefficients (eq. 11): "
            "sum_{k != i} rho_{r,k} <xi_k, xi_i>/||xi_k||^2 + gamma_r xi_i[0]/||mu|| and ||mu|| sum_k rho_{r,k} "
            "xi_k[0]/||xi_k||^2; the second is measured in units of ||mu||. Single-modal encoder. The bounds are "
            "loose (about 18 and 0.08 against ~1 and ~0.005), so the controls divide them by 100.",
    claims=(
        Bound("max |<w - w0, xi_i> - rho_{r,i}| <= 5 sqrt(log(6n^2/delta)/d) n", quantity=S["c1_xi_single"],
              relation="<=", bound=_C1_XI,
              explicit_control=Bound("control: bound / 100", quantity=S["c1_xi_single"], relation="<=", bound=_C1_XI / 100)),
        Bound("max |<w - w0, mu> - gamma_r| / ||mu|| <= sqrt(8 log(6n/delta)) n / (sigma_xi d)", quantity=S["c1_mu_single"],
              relation="<=", bound=_C1_MU,
              explicit_control=Bound("control: bound / 100", quantity=S["c1_mu_single"], relation="<=", bound=_C1_MU / 100)),
    ),
)
LEMMA_D_2 = _result(
    "STAGE", ("c1_xi_multi", "c1_mu_multi", "T1_multi"),
    id="huang2024/lemma-d.2", kind=Kind.LEMMA, number="D.2 (= C.1 for both modalities)",
    title="Coefficients read off the weights (multi-modal)", tag="FOUND (primary)", uses=("huang2024/lemma-c.1",),
    assumptions=_REGIME + _MULTI_SNR,
    statement=(r"\text{C.1 for }\mathbf W\text{ and }\tilde{\mathbf W}:\ |\langle\mathbf w^{(t)}_r-\mathbf w^{(0)}_r,\boldsymbol\xi_i"
               r"\rangle-\rho^{(t)}_{r,i}|\le5\sqrt{\log(6n^2/\delta)/d}\,n,\ |\langle\mathbf w^{(t)}_r-\mathbf w^{(0)}_r,"
               r"\boldsymbol\mu\rangle-\gamma^{(t)}_r|\le\mathrm{SNR}\sqrt{8\log(6n/\delta)/d}\,n"),
    reading=_MEAN_READING + _FIRST_STAGE.replace("t <= T1", "t <= T1 of Lemma 5.4") + "The largest deviation over "
            "both encoders (each signal deviation in units of its own ||mu||, ||mu~||, against the same normalised "
            "bound). Controls: bounds divided by 100 (xi) and 1000 (mu; the multi-modal noise coefficients are ten "
            "times smaller).",
    claims=(
        Bound("max |<w - w0, xi_i> - rho_{r,i}| <= 5 sqrt(log(6n^2/delta)/d) n (both encoders)", quantity=S["c1_xi_multi"],
              relation="<=", bound=_C1_XI,
              explicit_control=Bound("control: bound / 100", quantity=S["c1_xi_multi"], relation="<=", bound=_C1_XI / 100)),
        Bound("max |<w - w0, mu> - gamma_r| / ||mu|| <= sqrt(8 log(6n/delta)) n / (sigma_xi d) (both encoders)",
              quantity=S["c1_mu_multi"], relation="<=", bound=_C1_MU,
              explicit_control=Bound("control: bound / 1000", quantity=S["c1_mu_multi"], relation="<=", bound=_C1_MU / 1000)),
    ),
)

_CL_READING = ("C_l is measured as max over anchors i, negatives j and recorded steps t <= T1 of max(l'(1 + M_i), "
               "1/(l'(1 + M_i))) for l' in {l'_i, l'_{i,j}} (eq. 8; M_i = the anchor's number of negatives), i.e. the "
               "smallest C_l for which the two-sided bound holds. 'There is a constant C_l' is read as C_l <= 10 (the "
               "module's reading of an unspecified constant; control: C_l <= 1, impossible since l' cannot all equal "
               "1/(1+M)); D.8's proof uses C_l = 1.01, checked as a second claim (control: 1.01/2). ")
LEMMA_C_2 = _result(
    "STAGE", ("Cl_single", "T1_single"),
    id="huang2024/lemma-c.2", kind=Kind.LEMMA, number="C.2", title="The softmax weights stay near 1/(1+M)",
    tag="FOUND (primary)", uses=("huang2024/lemma-c.1", "huang2024/lemma-b.4", "huang2024/lemma-b.5"),
    assumptions=_REGIME + _SINGLE_SNR,
    statement=(r"\max\{\gamma,\rho\}=O(1)\Rightarrow\exists C_\ell>1:\ \frac1{C_\ell(1+M)}\le\ell'^{(t)}_i,\ \ell'^{(t)}_{i,j}"
               r"\le\frac{C_\ell}{1+M}"),
    reading=_CL_READING + _FIRST_STAGE + "Single-modal loss.",
    claims=(
        Bound("C_l over t <= T1 is a constant (<= 10)", quantity=S["Cl_single"], relation="<=", bound=10,
              explicit_control=Bound("control: C_l <= 1", quantity=S["Cl_single"], relation="<=", bound=1)),
        Bound("C_l <= 1.01 (the value D.8 uses)", quantity=S["Cl_single"], relation="<=", bound=sp.Float(1.01)),
    ),
)
LEMMA_D_1 = _result(
    "STAGE", ("Cl_multi", "T1_multi"),
    id="huang2024/lemma-d.1", kind=Kind.LEMMA, number="D.1 (= C.2 for both modalities)",
    title="The softmax weights stay near 1/(1+M) (multi-modal)", tag="FOUND (primary)",
    uses=("huang2024/lemma-c.2", "huang2024/lemma-d.2"), assumptions=_REGIME + _MULTI_SNR,
    statement=(r"\exists C_\ell>1:\ \frac1{C_\ell(1+M)}\le\ell'^{(t)}_i,\ell'^{(t)}_{i,j}\le\frac{C_\ell}{1+M}\ "
               r"\text{in both directions of (9)}"),
    reading=_CL_READING + _FIRST_STAGE.replace("t <= T1", "t <= T1 of Lemma 5.4") + "Both directions of the "
            "multi-modal loss (9).",
    claims=(
        Bound("C_l over t <= T1 is a constant (<= 10)", quantity=S["Cl_multi"], relation="<=", bound=10,
              explicit_control=Bound("control: C_l <= 1", quantity=S["Cl_multi"], relation="<=", bound=1)),
        Bound("C_l <= 1.01 (the value D.8 uses)", quantity=S["Cl_multi"], relation="<=", bound=sp.Float(1.01)),
    ),
)

LEMMA_D_8 = _result(
    "STAGE", ("d8_plus", "d8_minus", "T1_multi"),
    id="huang2024/lemma-d.8", kind=Kind.LEMMA, number="D.8",
    title="Four-way noise totals grow at most at rate 1.05 b", tag="FOUND (primary); the factor sigma_xi^2 d restored (note)",
    uses=("huang2024/lemma-c.2", "huang2024/lemma-c.1", "huang2024/lemma-b.5", "huang2024/lemma-c.8",
          "huang2024/lemma-d.5", "huang2024/lemma-d.6", "huang2024/lemma-d.7"),
    assumptions=_REGIME + _MULTI_SNR + (sp.Ge(n, sp.Float(1.28e6) * sp.log(4 / delta)),),
    statement=(r"B^{(t)}_{r,\pm,+}\le\Big(1+1.05\frac{\eta\sigma_\xi^2d}{nm\tau}\Big)^tB^{(0)}_{r,\pm,+},\quad"
               r"B^{(t)}_{r,\pm,-}\le B^{(0)}_{r,\pm,-}"),
    reading=_MEAN_READING + "B^(t)_{r,+-,+-} = sum over i with y_i = +-1, <w^(t)_r, xi_i> > 0 and <w~^(t)_r, xi~_i> "
            "> or < 0 of (rho_{r,i} + <w0_r, xi_i>) (modality-1 encoder), on the first stage t <= T1 of Lemma 5.4. "
            "Measured: the largest ratio B^(t)/((1 + 1.05 b)^t B^(0)) (resp. B^(t)/B^(0)) over neurons, label signs "
            "and steps 1 <= t <= T1 (pairs with B^(0) = 0 left out); each must be <= 1. Controls: 1/2. The sample "
            "size n >= 1.28e6 log(4/delta) is an assumption here.",
    claims=(
        Bound("B_{r,+-,+}^(t) <= (1 + 1.05 b)^t B_{r,+-,+}^(0)", quantity=S["d8_plus"], relation="<=", bound=1),
        Bound("B_{r,+-,-}^(t) <= B_{r,+-,-}^(0)", quantity=S["d8_minus"], relation="<=", bound=1),
    ),
)

PROPOSITION_C_13 = _result(
    "PHASE", ("coef_max_single", "coef_max_multi"),
    id="huang2024/proposition-c.13", kind=Kind.PROPOSITION, number="C.13",
    title="Coefficients stay below alpha = log(3 M T*)", tag="FOUND (primary)",
    uses=("huang2024/lemma-c.1", "huang2024/lemma-b.5"),
    assumptions=_REGIME + _SINGLE_SNR + (sp.Ge(_ALPHA, 20 * tau),),
    statement=r"\alpha=\log(3MT^*):\ |\gamma^{(t)}_r|\le\alpha,\ |\rho^{(t)}_{r,i}|\le\alpha\quad\forall t\le T^*",
    reading="Read over the whole run (T* = steps = 400, M = n/2, so alpha = log(3 * 16 * 400) = 9.86), at n SNR^2 = "
            "1.75, on every recorded step: the largest |gamma_r|, |rho_{r,i}| of the single-modal encoder, its "
            "t-interval over replicas below alpha. Control: alpha/2. The condition alpha >= 20 tau of the proof is "
            "an assumption (9.86 < 20 here). Recorded beside it: the same maximum for the multi-modal encoders.",
    claims=(Bound("max_t max(|gamma|, |rho|) <= log(3 M T*)", quantity=S["coef_max_single"], relation="<=", bound=_ALPHA),),
)

LEMMA_C_14 = _result(
    "PHASE", ("c14_q_max",),
    id="huang2024/lemma-c.14", kind=Kind.LEMMA, number="C.14", title="Gradient norm bounded by the loss",
    tag="FOUND (primary)", uses=("huang2024/definition-eq6",), assumptions=_REGIME + _SINGLE_SNR,
    statement=(r"t\le T^*:\ \|\nabla L_S(\mathbf W^{(t)})\|_F^2\le O\big(\max\{\|\boldsymbol\mu\|^2,\sigma_\xi^2d\}\big)"
               r"L_S(\mathbf W^{(t)})"),
    reading="The constant of O(.) is read as 1: the largest ratio ||grad_W L||_F^2 / (max(||mu||^2, sigma_xi^2 d) L) over "
            "the recorded steps of the whole run (single-modal, n SNR^2 = 1.75), its t-interval over replicas below 1. "
            "The gradient norm is exact from dL/dP: grad_{w_r} L = sum_k dL/dP1_{r,k} y_k mu + dL/dP2_{r,k} xi_k. "
            "Control: the constant 1e-5, which a ratio of the observed size (~1e-3) must violate.",
    claims=(Bound("||grad L||^2 <= max(||mu||^2, sigma_xi^2 d) L (constant 1)", quantity=S["c14_q_max"], relation="<=",
                  bound=1, explicit_control=Bound("control: constant 1e-5", quantity=S["c14_q_max"], relation="<=",
                                                  bound=sp.Float(1e-5))),),
)

_SECOND_READING = (
    "T = T1 + floor(||W^(T1) - W*||_F^2/(eta eps)) with the reference point of C.15 / D.12 (computed exactly from "
    "the coefficients at the step nearest T1, M = n/2, eps = 0.05); T is far beyond the run (about 4e4 steps at b = "
    "1/12), so the statements are checked on [T1, steps], where they must hold if they hold on [T1, T]. 'Some "
    "iterate has loss < k eps' is read as the smallest loss of every step in that window (control: the same "
    "bound 1000 times smaller); the running-average bound as the largest excess of (1/(t - T1 + 1)) sum_{s=T1}^t "
    "L(s) over the stated bound (<= 0; the distance term makes it loose: control: in at least half the replicas "
    "the running average stays below k eps / 1000, which the data must reject; the running average varies too "
    "much between replicas for a control on its mean). ")
LEMMA_C_18 = _result(
    "PHASE", ("c18_min_loss", "c18_avg_excess", "c18_avg_max", "c18_gamma_max", "c18_T", "c18_dist2", "T1_single"),
    id="huang2024/lemma-c.18", kind=Kind.LEMMA, number="C.18", title="Single-modal second stage converges",
    tag="FOUND (primary)", uses=("huang2024/lemma-c.17", "huang2024/lemma-5.2"),
    assumptions=_REGIME + _SINGLE_SNR,
    statement=(r"T=T_1+\Big\lfloor\frac{\|\mathbf W^{(T_1)}-\mathbf W^*\|_F^2}{\eta\epsilon}\Big\rfloor:\ \max_r|\gamma^{(t)}_r|"
               r"\le\tilde O(n^{-1/2}),\ \frac1{t-T_1+1}\sum_{s=T_1}^tL_S(\mathbf W^{(s)})\le\frac{\|\mathbf W^{(T_1)}-"
               r"\mathbf W^*\|_F^2}{\eta(t-T_1+1)}+\epsilon,\ \exists t\le T:\ L_S(\mathbf W^{(t)})<2\epsilon"),
    reading=_SECOND_READING + "Single-modal, n SNR^2 = 1.75. max|gamma| <= O~(1/sqrt n) is read with Lemma 5.2's "
            "constant, 20 sqrt(2 log(8m/delta)) SNR, on the recorded steps of [T1, T] (control: SNR).",
    claims=(
        Bound("some iterate in [T1, T] has L < 2 eps", quantity=S["c18_min_loss"], relation="<=", bound=2 * eps,
              explicit_control=Bound("control: < 2 eps / 1000", quantity=S["c18_min_loss"], relation="<=",
                                     bound=2 * eps / 1000)),
        Bound("running average <= ||W(T1) - W*||^2/(eta (t - T1 + 1)) + eps", quantity=S["c18_avg_excess"],
              relation="<=", bound=0,
              explicit_control=Probability("control: in half the replicas the running average stays <= eps / 1000",
                                           event=sp.Heaviside(eps / 1000 - S["c18_avg_max"], 0, evaluate=False),
                                           relation=">=", value=sp.Rational(1, 2))),
        Bound("max_r |gamma_r| <= 20 sqrt(2 log(8m/delta)) SNR on [T1, T]", quantity=S["c18_gamma_max"], relation="<=",
              bound=20 * sp.sqrt(2 * sp.log(8 * m / delta)) * SNR,
              explicit_control=Bound("control: <= SNR", quantity=S["c18_gamma_max"], relation="<=", bound=SNR)),
    ),
)
_STEP_READING = ("Read on every step of [T1, steps) (T1 of Lemma 5.2 resp. 5.4, n SNR^2 = 1.75; T* is beyond the run): "
                 "the smallest margin ||W^(t) - W*||^2 - ||W^(t+1) - W*||^2 - eta L(t) + k eta eps (k = 1 single, 2 multi; "
                 "distances exact from the coefficients, W* of C.15 / D.12) must be >= 0, its t-interval over replicas "
                 "above 0. Control: the slack k eta eps with the wrong sign (drop >= eta L(t) + k eta eps). ")
LEMMA_D_11 = _result(
    "PHASE", ("d11_q_max",),
    id="huang2024/lemma-d.11", kind=Kind.LEMMA, number="D.11 (= C.14 for each modality)",
    title="Gradient norm bounded by the loss (multi-modal)", tag="FOUND (primary)", uses=("huang2024/lemma-c.14",),
    assumptions=_REGIME + _MULTI_SNR,
    statement=(r"t\le T^*:\ \|\nabla_{\mathbf W}L\|_F^2\le O\big(\max\{\|\boldsymbol\mu\|^2,\sigma_\xi^2d\}\big)L,\ "
               r"\|\nabla_{\tilde{\mathbf W}}L\|_F^2\le O\big(\max\{\|\tilde{\boldsymbol\mu}\|^2,\sigma_\xi^2d\}\big)L"),
    reading="As C.14 (constant 1, control 1e-5), for each encoder of the multi-modal run with its own signal norm "
            "and L the two-directional loss (9); the larger ratio of the two over the recorded steps.",
    claims=(Bound("||grad L||^2 <= max(||mu||^2, sigma_xi^2 d) L for both encoders (constant 1)",
                  quantity=S["d11_q_max"], relation="<=", bound=1,
                  explicit_control=Bound("control: constant 1e-5", quantity=S["d11_q_max"], relation="<=",
                                         bound=sp.Float(1e-5))),),
)
LEMMA_C_17 = _result(
    "PHASE", ("c18_step_margin", "T1_single"),
    id="huang2024/lemma-c.17", kind=Kind.LEMMA, number="C.17", title="Single-modal distance to W* decreases",
    tag="FOUND (primary)",
    uses=("huang2024/lemma-c.14", "huang2024/definition-eq3", "huang2024/lemma-5.2", "huang2024/proposition-c.13"),
    assumptions=_REGIME + _SINGLE_SNR,
    statement=(r"\|\mathbf W^{(t)}-\mathbf W^*\|_F^2-\|\mathbf W^{(t+1)}-\mathbf W^*\|_F^2\ge\eta L_S(\mathbf W^{(t)})-\eta\epsilon"),
    reading=_STEP_READING + "Single-modal; C.16 (the inner products with W*) is the step it rests on and is not "
            "encoded separately.",
    claims=(Bound("||W(t) - W*||^2 - ||W(t+1) - W*||^2 >= eta L(t) - eta eps", quantity=S["c18_step_margin"],
                  relation=">=", bound=0,
                  explicit_control=Bound("control: ... >= eta L(t) + eta eps", quantity=S["c18_step_margin"],
                                         relation=">=", bound=2 * eta * eps)),),
)
LEMMA_D_14 = _result(
    "PHASE", ("d15_step_margin", "T1_multi"),
    id="huang2024/lemma-d.14", kind=Kind.LEMMA, number="D.14", title="Multi-modal distance to (W*, W~*) decreases",
    tag="FOUND (primary)", uses=("huang2024/lemma-d.11", "huang2024/definition-eq3", "huang2024/lemma-5.4"),
    assumptions=_REGIME + _MULTI_SNR,
    statement=(r"\|\mathbf W^{(t)}-\mathbf W^*\|_F^2+\|	ilde{\mathbf W}^{(t)}-	ilde{\mathbf W}^*\|_F^2-\|\mathbf W^{(t+1)}-"
               r"\mathbf W^*\|_F^2-\|	ilde{\mathbf W}^{(t+1)}-	ilde{\mathbf W}^*\|_F^2\ge\eta L(\mathbf W^{(t)},"
               r"	ilde{\mathbf W}^{(t)})-2\eta\epsilon"),
    reading=_STEP_READING + "Both encoders, the loss (9) of both directions; D.13 is not encoded separately.",
    claims=(Bound("sum of distance drops >= eta L(t) - 2 eta eps", quantity=S["d15_step_margin"], relation=">=", bound=0,
                  explicit_control=Bound("control: ... >= eta L(t) + 2 eta eps", quantity=S["d15_step_margin"],
                                         relation=">=", bound=4 * eta * eps)),),
)
_RHO0 = sigma0 * sigma_xi * sp.sqrt(d)
LEMMA_D_15 = _result(
    "PHASE", ("d15_min_loss", "d15_avg_excess", "d15_avg_max", "d15_rho_max", "d15_T", "d15_dist2", "T1_multi"),
    id="huang2024/lemma-d.15", kind=Kind.LEMMA, number="D.15", title="Multi-modal second stage converges",
    tag="FOUND (primary)", uses=("huang2024/lemma-d.14", "huang2024/lemma-5.4"), assumptions=_REGIME + _MULTI_SNR,
    statement=(r"T=T_1+\Big\lfloor\frac{\|\mathbf W^{(T_1)}-\mathbf W^*\|_F^2+\|\tilde{\mathbf W}^{(T_1)}-\tilde{\mathbf W}^*\|_F^2}"
               r"{\eta\epsilon}\Big\rfloor:\ \max_{r,i}|\rho^{(t)}_{r,i}|,|\tilde\rho^{(t)}_{r,i}|\le\sigma_0\sigma_\xi\sqrt d,\ "
               r"\text{running average}\le\frac{(\cdots)}{\eta(t-T_1+1)}+2\epsilon,\ \exists t\le T:\ L<3\epsilon"),
    reading=_SECOND_READING + "Multi-modal (both directions of the loss), n SNR^2 = 1.75, T1 of Lemma 5.4. "
            "max |rho|, |rho~| <= sigma0 sigma_xi sqrt d on the recorded steps of [T1, T] (control: half of it).",
    claims=(
        Bound("some iterate in [T1, T] has L < 3 eps", quantity=S["d15_min_loss"], relation="<=", bound=3 * eps,
              explicit_control=Bound("control: < 3 eps / 1000", quantity=S["d15_min_loss"], relation="<=",
                                     bound=3 * eps / 1000)),
        Bound("running average <= (||W(T1) - W*||^2 + ||W~(T1) - W~*||^2)/(eta (t - T1 + 1)) + 2 eps",
              quantity=S["d15_avg_excess"], relation="<=", bound=0,
              explicit_control=Probability("control: in half the replicas the running average stays <= 2 eps / 1000",
                                           event=sp.Heaviside(2 * eps / 1000 - S["d15_avg_max"], 0, evaluate=False),
                                           relation=">=", value=sp.Rational(1, 2))),
        Bound("max |rho|, |rho~| <= sigma0 sigma_xi sqrt d on [T1, T]", quantity=S["d15_rho_max"], relation="<=",
              bound=_RHO0),
    ),
)
TRAJECTORY_RESULTS = [LEMMA_C_1, LEMMA_D_2, LEMMA_C_2, LEMMA_D_1, LEMMA_D_8, PROPOSITION_C_13, LEMMA_C_14, LEMMA_D_11,
                      LEMMA_C_17, LEMMA_C_18, LEMMA_D_14, LEMMA_D_15]

