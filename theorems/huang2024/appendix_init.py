"""huang2024, appendix B and the initialisation facts of appendices C and D (no training:
``checks.contrastive_init``): B.1-B.5, C.5, C.6, C.8, C.10, C.12, D.6, D.7, D.10."""
from __future__ import annotations

import sympy as sp

from theorems.huang2024._common import (
    _B2_DIMENSION,
    PAPER,
    PARAMETERS,
    d,
    delta,
    m,
    n,
    sigma0,
    sigma_xi,
    snr_regime,
)
from verifier import Bound, Identity, Kind, Limit, Parameter, Probability, Result

# ---------------------------------------------------------------------------------------------
# Appendix B and the initialisation facts of C/D (no training): checks.contrastive_init.
# ---------------------------------------------------------------------------------------------
INIT_CHECK = "checks.contrastive_init:contrastive_init"
_TRAINING_PARAMETER = {p.name: p for p in PARAMETERS}
INIT_PARAMETERS = (
    *(_TRAINING_PARAMETER[name] for name in ("d", "m", "sigma0", "sigma_xi", "sigma_eps", "C_mu", "delta")),
    Parameter("n", "training pairs", lower=2, integer=True),
    Parameter("snr_regime", "n SNR^2 that sets ||mu|| (as in the training check)", lower=0),
    Parameter("mc_draws", "extra copies per replica of the cheap large-d samples (B.2) and label vectors (B.3)",
              lower=1, integer=True),
    Parameter("c_anti", "B.1: the half-width c of the interval, in units of sigma", lower=0),
    Parameter("d_b2", "B.2: a dimension that meets its condition (the conclusion is sampled exactly there)", lower=1),
    Parameter("d_c6", "C.6: a dimension that meets the union-bound condition the printed one should be", lower=1),
    Parameter("C_xi", "C.5: the constant C_xi (> 200 in the proof)", lower=0),
    Parameter("C_c10", "C.10: the constant C (any C > 0; the smallest natural one, 1)", lower=0),
)
# PHASE sizes (d = n^2 = 1024, n = 32, m = 16, sigma0 = 1e-3), so that many replicas are cheap.
_INIT_COMMON = {"sigma0": 1e-3, "sigma_xi": 1.0, "sigma_eps": 0.1, "C_mu": 3.0, "snr_regime": 1.75, "delta": 0.1,
                "mc_draws": 64, "c_anti": 0.25, "C_xi": 200.0, "C_c10": 1.0}
_INIT = {"quick": {**_INIT_COMMON, "d": 1024, "n": 32, "m": 16, "d_b2": 1e10, "d_c6": 2e11},
         "full": {**_INIT_COMMON, "d": 10000, "n": 100, "m": 32, "d_b2": 1e11, "d_c6": 5e12}}
_INIT_REPLICAS = {"quick": 256, "full": 1024}                   # full: >= 1000 replicas per probability (issue 8)
_INIT_BATCH = {"full": 128}                                      # about 4 GB of draws per batch at the full sizes
d_b2, d_c6, c_anti, C_xi, C_c10 = (sp.Symbol(k) for k in ("d_b2", "d_c6", "c_anti", "C_xi", "C_c10"))

INIT_MEASURES = {
    "b1_z": "exact standard normals <w0_r, mu>/(sigma0 ||mu||), <v0_r, mu~>/(sigma0 ||mu~||), <xi_i, mu>/(sigma_xi ||mu||)",
    "b2_minz": "min_r of |<w0_r, mu>|/(sigma0 ||mu||) and |<v0_r, mu~>|/(sigma0 ||mu~||) (the replica's draw)",
    "b2_minz_big": "the same for mc_draws fresh copies per replica (valid at any d)",
    "b3_dev": "| |S_1| - n/2 | for the replica's labels and mc_draws extra label vectors",
    "b4_mu": "max_r |<w0_r, mu>| / (sigma0 ||mu||)",
    "b4_xi": "max_{r,i} |<w0_r, xi_i>| / (sigma0 sigma_xi sqrt d)",
    "b4_eps": "max_{r,i} |<w0_r, eps_i>| / (sigma0 sigma_eps sqrt d)",
    "b4_mu_max": "max_r <w0_r, mu> / (sigma0 ||mu||)",
    "b4_xi_maxmin": "min_i max_r <w0_r, xi_i> / (sigma0 sigma_xi sqrt d)",
    "b5_xi_norm": "max_i | ||xi_i||^2 / (sigma_xi^2 d) - 1 |",
    "b5_xi_xi": "max_{i != i'} |<xi_i, xi_i'>| / (sigma_xi^2 sqrt d)",
    "b5_xi_mu": "max_i |<xi_i, mu>| / (sigma_xi ||mu||)",
    "b5_eps_norm": "max_i | ||eps_i||^2 / (sigma_eps^2 d) - 1 |",
    "b5_eps_xi": "max_{i, i'} |<eps_i, xi_i'>| / (sigma_eps sigma_xi sqrt d)",
    "b5_eps_mu": "max_i |<eps_i, mu>| / (sigma_eps ||mu||)",
    "c5_ratio": "|<w0_r, xi_i>| / |<w0_r, eps_i>| per pair (r, i)",
    "c5_min": "min_{r,i} |<w0_r, xi_i>| / |<w0_r, eps_i>|",
    "c6_minz": "min_{r,i} |<w0_r, xi_i>| / (sigma0 sigma_xi sqrt d)",
    "c6_minz_big": "the same for the large-d sample (i.i.d. standard normals)",
    "c8_dev": "max_r | #{i: y_i = 1, <w0_r, xi_i> > 0} - n/4 |",
    "c10_ratio": "|<w0_r, xi_i>| / (max(B0_{r,+}, B0_{r,-}) / n) per pair (r, i)",
    "c10_min": "min_{r,i} of c10_ratio",
    "c12_min": "min_i (1/m) sum_{r: <w0_r, xi_i> > 0} <w0_r, xi_i> / (sigma0 sigma_xi sqrt d)",
    "d6_minz": "min_r min(B0_{r,+,+}, B~0_{r,+,+}) / (sigma0 sigma_xi sqrt d)",
    "d6_minz_big": "the same for the large-d sample",
    "d7_ratio": "|<w0_r, xi_i>| / (B0_{r,+,+}/n) and |<v0_r, xi~_i>| / (B~0_{r,+,+}/n) per pair",
    "d7_min": "min over both encoders and every pair of d7_ratio",
    "d10_min": "min over U+ cap U~+ and U- cap U~- of (1/m) sum_r (A0_r + A~0_r/C_mu) / (sigma0 ||mu||)",
}
SI = {name: sp.Symbol(name) for name in INIT_MEASURES}


def _init_result(measures: tuple[str, ...], **fields) -> Result:
    return Result(paper=PAPER, parameters=INIT_PARAMETERS, profiles=_INIT, replicas=_INIT_REPLICAS,
                  max_batch=_INIT_BATCH, check=INIT_CHECK,
                  measures={k: INIT_MEASURES[k] for k in measures}, kind=Kind.LEMMA, **fields)


def _fails(excess: sp.Basic) -> sp.Basic:
    """The 0/1 failure event ``excess > 0`` (0 at a tie)."""
    return sp.Heaviside(excess, 0, evaluate=False)


def _whp(label: str, excess: sp.Basic, control_label: str, control_excess: sp.Basic, value: sp.Basic = delta) -> Bound:
    """'With probability >= 1 - delta': the failure event ``excess > 0`` has probability <= delta, judged by the
    pooled Clopper-Pearson interval of the 0/1 failures (``statistic='proportion'``, one trial per entry).
    The control is the same statement with its bound tightened (``control_excess``), as a Probability claim
    the data must reject: the engine's default control (delta/2 on the same event) has no power when
    failures are rare."""
    return Bound(label, quantity=_fails(excess), relation="<=", bound=value, statistic="proportion", trials=1,
                 explicit_control=Probability(f"control: {control_label}", event=_fails(control_excess),
                                              relation="<=", value=value), support=(0, 1))


_WHP_READING = ("'With probability >= 1 - delta' (delta = 0.1) is read on the event the statement quantifies "
                "('for all r, i' is one event per replica unless said otherwise): its failure frequency must have "
                "a Clopper-Pearson interval below delta. ")
_S0 = sigma0 * sigma_xi * sp.sqrt(d)                    # the scale of <w0_r, xi_i>
_c, _sg = sp.symbols("c sigma", positive=True)
_xx = sp.Symbol("x", real=True)
_B1_EXACT = sp.erf(c_anti / sp.sqrt(2))                   # P(|x| <= c) for c = c_anti sigma
_B1_BOUND = 2 * sp.sqrt(1 - sp.exp(-2 * c_anti ** 2 / sp.pi))

LEMMA_B_1 = _init_result(
    ("b1_z",), id="huang2024/lemma-b.1", number="B.1", title="Gaussian anti-concentration",
    tag="FOUND (primary); the paper's factor 2 over-counts (note)", uses=("huang2024/definition-eq1",),
    statement=(r"x\sim\mathcal N(0,\sigma^2):\ \mathbb P(|x|\le c)=\mathrm{erf}\Big(\frac{c}{\sqrt2\sigma}\Big)"
               r"\le2\sqrt{1-\exp\big(-\tfrac{2c^2}{\sigma^2\pi}\big)}"),
    reading="Symbolic: the Gaussian integral over [-c, c] is erf(c/(sqrt 2 sigma)) exactly (the paper writes "
            "2 erf, harmless over-counting), and the bound over the exact value tends to 2 as c -> 0 (the factor 2 "
            "is all the slack where the lemma is used). Monte Carlo at c = c_anti sigma = 0.25 sigma on the exact "
            "standard normals <w0_r, mu>/(sigma0 ||mu||), <v0_r, mu~>/(sigma0 ||mu~||) and <xi_i, mu>/(sigma_xi "
            "||mu||) of every replica: the frequency of |x| <= c is below the bound (control: below half the "
            "exact value) and equals erf within 0.02 (control: equals the bound).",
    claims=(
        Identity("P(|x| <= c) = erf(c / (sqrt 2 sigma))",
                 lhs=sp.integrate(sp.exp(-_xx ** 2 / (2 * _sg ** 2)) / (sp.sqrt(2 * sp.pi) * _sg), (_xx, -_c, _c)),
                 rhs=sp.erf(_c / (sp.sqrt(2) * _sg))),
        Limit("bound / exact -> 2 as c -> 0 (the over-counting factor)",
              expr=2 * sp.sqrt(1 - sp.exp(-2 * _c ** 2 / (_sg ** 2 * sp.pi))) / sp.erf(_c / (sp.sqrt(2) * _sg)),
              var=_c, point=0, value=2, direction="+"),
        Probability("P(|x| <= c) <= 2 sqrt(1 - exp(-2c^2/(sigma^2 pi)))", event=_fails(c_anti - sp.Abs(SI["b1_z"])),
                    relation="<=", value=_B1_BOUND, control_value=_B1_EXACT / 2),
        Probability("P(|x| <= c) = erf(c/(sqrt 2 sigma)) (+- 0.02)", event=_fails(c_anti - sp.Abs(SI["b1_z"])),
                    relation="==", value=_B1_EXACT, atol=0.02, control_value=_B1_BOUND),
    ),
)

_B2_THRESHOLD = lambda dim: 100 * n * sp.sqrt(8 * sp.log(6 * n / delta)) / (sigma0 * sigma_xi * dim)  # noqa: E731
_B2_CONDITION = lambda dim: sp.Ge(dim, 400 * n / (sigma0 * sigma_xi) * sp.sqrt(  # noqa: E731
    sp.log(6 * n / delta) / (-sp.pi * sp.log(1 - delta ** 2 / (4 * m ** 2)))))
LEMMA_B_2 = _init_result(
    ("b2_minz", "b2_minz_big"), id="huang2024/lemma-b.2", number="B.2",
    title="Initial signal correlations are bounded away from 0", tag="FOUND (primary)", uses=("huang2024/lemma-b.1",),
    assumptions=_B2_DIMENSION + (_B2_CONDITION(d_b2),),
    statement=(r"d\ge\frac{400n}{\sigma_0\sigma_\xi}\sqrt{\frac{\log(6n/\delta)}{-\pi\log(1-\delta^2/(4m^2))}}"
               r"\Rightarrow\ \text{w.p.}\ge1-\delta\ \forall r:\ |\langle\mathbf w^{(0)}_r,\boldsymbol\mu\rangle|\ge100\,"
               r"\mathrm{SNR}\sqrt{8\log(6n/\delta)/d}\,n,\ \text{and the same for }\tilde{\mathbf w},\tilde{\boldsymbol\mu}"),
    reading=_WHP_READING + "The event is 'for all r, both encoders' per replica. <w0_r, mu> ~ N(0, sigma0^2 ||mu||^2) "
            "exactly, so the conclusion reads min_r |z_r| >= 100 n sqrt(8 log(6n/delta))/(sigma0 sigma_xi d) for "
            "standard normals z_r, which can be sampled at any d. Checked (1) at the simulated d = 1024, where the "
            "condition (d >= 6.4e9 at n = 32, m = 16) fails and the threshold is about 8000 standard deviations: "
            "a FAIL there says the sign lemmas C.3/D.3 cannot rest on B.2 at simulable sizes; (2) at d_b2 = 1e10, "
            "which meets the condition (mc_draws fresh copies per replica); control: the threshold 4 times larger.",
    claims=(
        _whp("at the simulated d: min_r |<w0_r, mu>| >= 100 SNR sqrt(8 log(6n/delta)/d) n",
             _B2_THRESHOLD(d) - SI["b2_minz"], "the same threshold at d / 4", _B2_THRESHOLD(d / 4) - SI["b2_minz"]),
        _whp("at d = d_b2 (condition met): the same", _B2_THRESHOLD(d_b2) - SI["b2_minz_big"],
             "at d = d_b2 with the threshold 4 times larger", 4 * _B2_THRESHOLD(d_b2) - SI["b2_minz_big"]),
    ),
)

_B3_WIDTH = sp.sqrt(n / 2 * sp.log(4 / delta))
LEMMA_B_3 = _init_result(
    ("b3_dev",), id="huang2024/lemma-b.3", number="B.3", title="Balanced labels (Hoeffding)",
    tag="FOUND (primary; Kou et al. 2023)", uses=("huang2024/definition-eq1",),
    statement=(r"\text{w.p.}\ge1-\delta:\ |S_{\pm1}|\in\Big[\frac n2-\sqrt{\frac n2\log\frac4\delta},\ "
               r"\frac n2+\sqrt{\frac n2\log\frac4\delta}\Big]"),
    reading=_WHP_READING + "One event per label vector (|S_-1| = n - |S_1| has the same deviation): the replica's "
            "labels and mc_draws extra label vectors drawn the same way. Control: the width divided by 4.",
    claims=(_whp("| |S_1| - n/2 | <= sqrt(n/2 log(4/delta))", SI["b3_dev"] - _B3_WIDTH,
                 "| |S_1| - n/2 | <= sqrt(n/2 log(4/delta)) / 4", SI["b3_dev"] - _B3_WIDTH / 4),),
)

_B4_MU = sp.sqrt(2 * sp.log(8 * m / delta))
_B4_XI = 2 * sp.sqrt(sp.log(8 * m * n / delta))
LEMMA_B_4 = _init_result(
    ("b4_mu", "b4_xi", "b4_eps", "b4_mu_max", "b4_xi_maxmin"), id="huang2024/lemma-b.4", number="B.4",
    title="Initial correlations (Cao et al. 2022)", tag="FOUND (primary; Cao et al. 2022)",
    uses=("huang2024/definition-eq1",),
    statement=(r"\text{w.p.}\ge1-\delta\ \forall r,i:\ |\langle\mathbf w^{(0)}_r,\boldsymbol\mu\rangle|\le\sqrt{2\log(8m/\delta)}"
               r"\sigma_0\|\boldsymbol\mu\|,\ |\langle\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle|\le2\sqrt{\log(8mn/\delta)}"
               r"\sigma_0\sigma_\xi\sqrt d,\ |\langle\mathbf w^{(0)}_r,\boldsymbol\epsilon_i\rangle|\le2\sqrt{\log(8mn/\delta)}"
               r"\sigma_0\sigma_\epsilon\sqrt d,\ \frac{\sigma_0\|\boldsymbol\mu\|}2\le\max_r\langle\mathbf w^{(0)}_r,\boldsymbol\mu"
               r"\rangle\le\sqrt{2\log(8m/\delta)}\sigma_0\|\boldsymbol\mu\|,\ \frac{\sigma_0\sigma_\xi\sqrt d}4\le\max_r\langle"
               r"\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle\le2\sqrt{\log(8mn/\delta)}\sigma_0\sigma_\xi\sqrt d"),
    reading=_WHP_READING + "Each item is its own claim on the per-replica event 'for all r, i' (the upper half of "
            "items 4 and 5 is implied by items 1 and 2). Controls: upper bounds halved, lower bounds multiplied "
            "by 4. The conditions d >= Omega(log(mn/delta)), m >= Omega(log(1/delta)) carry no constant and are "
            "met by any reasonable reading at d = 1024, m = 16.",
    claims=(
        _whp("max_r |<w0_r, mu>| <= sqrt(2 log(8m/delta)) sigma0 ||mu||", SI["b4_mu"] - _B4_MU,
             "bound halved", SI["b4_mu"] - _B4_MU / 2),
        _whp("max_{r,i} |<w0_r, xi_i>| <= 2 sqrt(log(8mn/delta)) sigma0 sigma_xi sqrt d", SI["b4_xi"] - _B4_XI,
             "bound halved", SI["b4_xi"] - _B4_XI / 2),
        _whp("max_{r,i} |<w0_r, eps_i>| <= 2 sqrt(log(8mn/delta)) sigma0 sigma_eps sqrt d", SI["b4_eps"] - _B4_XI,
             "bound halved", SI["b4_eps"] - _B4_XI / 2),
        _whp("max_r <w0_r, mu> >= sigma0 ||mu|| / 2", sp.Rational(1, 2) - SI["b4_mu_max"],
             "max_r <w0_r, mu> >= 2 sigma0 ||mu||", 2 - SI["b4_mu_max"]),
        _whp("min_i max_r <w0_r, xi_i> >= sigma0 sigma_xi sqrt(d) / 4", sp.Rational(1, 4) - SI["b4_xi_maxmin"],
             "min_i max_r <w0_r, xi_i> >= sigma0 sigma_xi sqrt d", 1 - SI["b4_xi_maxmin"]),
    ),
)

_B5_IP = 2 * sp.sqrt(sp.log(6 * n ** 2 / delta))
_B5_MU = sp.sqrt(2 * sp.log(6 * n / delta))
LEMMA_B_5 = _init_result(
    ("b5_xi_norm", "b5_xi_xi", "b5_xi_mu", "b5_eps_norm", "b5_eps_xi", "b5_eps_mu"), id="huang2024/lemma-b.5",
    number="B.5", title="Noise norms and inner products (Cao et al. 2022)", tag="FOUND (primary; Cao et al. 2022)",
    uses=("huang2024/definition-eq1",),
    statement=(r"\text{w.p.}\ge1-\delta\ \forall i,i':\ \frac{\sigma_\xi^2d}2\le\|\boldsymbol\xi_i\|^2\le\frac{3\sigma_\xi^2d}2,\ "
               r"|\langle\boldsymbol\xi_i,\boldsymbol\xi_{i'}\rangle|\le2\sigma_\xi^2\sqrt{d\log(6n^2/\delta)},\ "
               r"|\langle\boldsymbol\xi_i,\boldsymbol\mu\rangle|\le\|\boldsymbol\mu\|\sigma_\xi\sqrt{2\log(6n/\delta)};\ "
               r"\text{the same for }\boldsymbol\epsilon_i\ (\sigma_\epsilon^2d/2\le\|\boldsymbol\epsilon_i\|^2\le3\sigma_\epsilon^2d/2,\ "
               r"|\langle\boldsymbol\epsilon_i,\boldsymbol\xi_{i'}\rangle|\le2\sigma_\epsilon\sigma_\xi\sqrt{d\log(6n^2/\delta)},\ "
               r"|\langle\boldsymbol\epsilon_i,\boldsymbol\mu\rangle|\le\|\boldsymbol\mu\|\sigma_\epsilon\sqrt{2\log(6n/\delta)})"),
    reading=_WHP_READING + "Six claims, one per item, each on the per-replica event 'for all i, i'' (i != i' for "
            "<xi_i, xi_i'>, every pair for <eps_i, xi_i'>). Controls: the inner-product bounds halved; the norm "
            "items are very loose (the deviation of ||xi||^2/(sigma^2 d) is ~ sqrt(2/d) = 0.044, against 1/2), so "
            "their control is the CLT scale itself, max_i deviation <= sqrt(2/d), which the data must reject.",
    claims=(
        _whp("sigma_xi^2 d/2 <= ||xi_i||^2 <= 3 sigma_xi^2 d/2", SI["b5_xi_norm"] - sp.Rational(1, 2),
             "max_i | ||xi_i||^2/(sigma_xi^2 d) - 1 | <= sqrt(2/d)", SI["b5_xi_norm"] - sp.sqrt(2 / d)),
        _whp("|<xi_i, xi_i'>| <= 2 sigma_xi^2 sqrt(d log(6n^2/delta))", SI["b5_xi_xi"] - _B5_IP,
             "bound halved", SI["b5_xi_xi"] - _B5_IP / 2),
        _whp("|<xi_i, mu>| <= ||mu|| sigma_xi sqrt(2 log(6n/delta))", SI["b5_xi_mu"] - _B5_MU,
             "bound halved", SI["b5_xi_mu"] - _B5_MU / 2),
        _whp("sigma_eps^2 d/2 <= ||eps_i||^2 <= 3 sigma_eps^2 d/2", SI["b5_eps_norm"] - sp.Rational(1, 2),
             "max_i | ||eps_i||^2/(sigma_eps^2 d) - 1 | <= sqrt(2/d)", SI["b5_eps_norm"] - sp.sqrt(2 / d)),
        _whp("|<eps_i, xi_i'>| <= 2 sigma_eps sigma_xi sqrt(d log(6n^2/delta))", SI["b5_eps_xi"] - _B5_IP,
             "bound halved", SI["b5_eps_xi"] - _B5_IP / 2),
        _whp("|<eps_i, mu>| <= ||mu|| sigma_eps sqrt(2 log(6n/delta))", SI["b5_eps_mu"] - _B5_MU,
             "bound halved", SI["b5_eps_mu"] - _B5_MU / 2),
    ),
)

_MU_INIT = sp.sqrt(snr_regime * d / n) * sigma_xi
LEMMA_C_5 = _init_result(
    ("c5_ratio", "c5_min"), id="huang2024/lemma-c.5", number="C.5 (at t = 0)", title="Augmentation noise is negligible",
    tag="FOUND (primary)", uses=("huang2024/lemma-b.5", "huang2024/lemma-b.1"),
    assumptions=(sp.Ge(d, n / (sigma0 * sigma_xi)), sp.Ge(d, 1 / (sigma0 * _MU_INIT) ** 2)),
    statement=(r"|\langle\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle|\ge C_\xi|\langle\mathbf w^{(t)}_r,\boldsymbol\epsilon_i"
               r"\rangle|\ \forall i,\ C_\xi>200"),
    reading=_WHP_READING + "Checked at t = 0 with C_xi = 200 (the proof's value). Two readings: (1) the event "
            "'for all r, i' per replica; (2) per pair (r, i), P[ratio < C_xi] <= delta. Given w0_r, <w0_r, xi_i> and "
            "<w0_r, eps_i> are independent N(0, sigma^2 ||w0_r||^2), so the ratio |<w0_r, xi_i>|/|<w0_r, eps_i>| is "
            "exactly (sigma_xi/sigma_eps) |Z|/|Z'| for independent standard normals, whose law does not depend on d: at sigma_eps = sigma_xi/10 a pair meets C_xi = 200 with probability "
            "1 - (2/pi) atan(20) = 0.032 only. The d-condition (an assumption here, d >= n/(sigma0 sigma_xi) = 3.2e4) "
            "cannot change that; the lemma needs sigma_eps <= sigma_xi/(C_xi times an anti-concentration factor).",
    claims=(
        _whp("for all r, i: |<w0_r, xi_i>| >= C_xi |<w0_r, eps_i>|", C_xi - SI["c5_min"],
             "for all r, i: ratio >= C_xi / 100", C_xi / 100 - SI["c5_min"]),
        Probability("per pair: P[|<w0_r, xi_i>| < C_xi |<w0_r, eps_i>|] <= delta", event=_fails(C_xi - SI["c5_ratio"]),
                    relation="<=", value=delta),
    ),
)

_C6_THRESHOLD = lambda dim: 150 * n * sp.sqrt(sp.log(6 * n ** 2 / delta)) / (sigma0 * sigma_xi * dim)  # noqa: E731
_C6_PRINTED = sp.sqrt(300 * sp.log(6 * n ** 2 / delta)
                      / (-sp.log(1 - delta ** 2 / (4 * n ** 2)) * sp.pi * sigma0 ** 2 * sigma_xi ** 2))
_C6_UNION = 150 * n * sp.sqrt(sp.log(6 * n ** 2 / delta)) * m * n / (sigma0 * sigma_xi * sp.sqrt(sp.pi / 2) * delta)
LEMMA_C_6 = _init_result(
    ("c6_minz", "c6_minz_big"), id="huang2024/lemma-c.6", number="C.6",
    title="Initial noise correlations are bounded away from 0", tag="FOUND (primary); its d-condition is garbled in print",
    uses=("huang2024/lemma-b.1",), assumptions=(sp.Ge(d, _C6_PRINTED), sp.Ge(d_c6, _C6_UNION)),
    statement=(r"d\ge\sqrt{\frac{300\log(6n^2/\delta)}{-\log(1-\delta^2/(4n^2))\pi\sigma_0^2\sigma_\xi^2}}\ "
               r"(\text{as printed})\Rightarrow\ \text{w.p.}\ge1-\delta:\ |\langle\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle|"
               r">150\sqrt{\log(6n^2/\delta)/d}\;n"),
    reading=_WHP_READING + "The event is 'for all r, i' per replica; in units of sigma0 sigma_xi sqrt d the "
            "threshold is 150 n sqrt(log(6n^2/delta))/(sigma0 sigma_xi d). Three claims: (1) at the simulated d "
            "(about 1.6e4 standard deviations: a finding about C.7's use of it); (2) at the d of the printed "
            "condition (2.1e7 at n = 32: still 0.77 standard deviations, so it fails: the printed condition is not "
            "sufficient); (3) at d_c6 = 2e11, which meets the union-bound condition d >= 150 n sqrt(log(6n^2/delta)) "
            "m n / (sigma0 sigma_xi sqrt(pi/2) delta) (6.5e10) that B.1 gives; control there: the threshold 10 "
            "times larger. At d = 2.1e7 and 2e11 the normalised correlations are sampled as i.i.d. standard "
            "normals (their exact law up to relative corrections d^{-1/2}).",
    claims=(
        _whp("at the simulated d: min_{r,i} |<w0_r, xi_i>| > 150 n sqrt(log(6n^2/delta)/d)",
             _C6_THRESHOLD(d) - SI["c6_minz"], "threshold at d / 4", _C6_THRESHOLD(d / 4) - SI["c6_minz"]),
        _whp("at the printed condition's d: the same", _C6_THRESHOLD(_C6_PRINTED) - SI["c6_minz_big"],
             "threshold 4 times larger", 4 * _C6_THRESHOLD(_C6_PRINTED) - SI["c6_minz_big"]),
        _whp("at d = d_c6 (union-bound condition met): the same", _C6_THRESHOLD(d_c6) - SI["c6_minz_big"],
             "threshold 10 times larger", 10 * _C6_THRESHOLD(d_c6) - SI["c6_minz_big"]),
    ),
)

LEMMA_C_8 = _init_result(
    ("c8_dev",), id="huang2024/lemma-c.8", number="C.8", title="Active noise pairs per neuron (Hoeffding)",
    tag="FOUND (primary)", uses=("huang2024/definition-eq1",),
    statement=r"\text{w.p.}\ge1-\delta\ \forall r:\ \Big|\sum_{i:y_i=1}\mathbb 1[i\in I^{(0)}_{r,+}]-\frac n4\Big|\le\sqrt{\frac n2\log\frac4\delta}",
    reading=_WHP_READING + "The event is 'for all r' per replica. Each count is Binomial(n, 1/4); Hoeffding gives "
            "delta/2 per neuron, so 'for all r' is not what the proof shows (a union over m neurons would need "
            "log(4m/delta)); the exact binomial tails are much lighter, so the statement can still hold. Control: "
            "the width halved.",
    claims=(_whp("max_r |#{i: y_i = 1, <w0_r, xi_i> > 0} - n/4| <= sqrt(n/2 log(4/delta))", SI["c8_dev"] - _B3_WIDTH,
                 "width halved", SI["c8_dev"] - _B3_WIDTH / 2),),
)

_C10_N = sp.Ge(n, 8 * C_c10 ** 2 * sp.log(1 / delta) / sp.log(1 / (1 - (delta / m) ** 2)))
LEMMA_C_10 = _init_result(
    ("c10_ratio", "c10_min"), id="huang2024/lemma-c.10", number="C.10",
    title="Noise correlations dominate the noise totals", tag="FOUND (primary)",
    uses=("huang2024/lemma-c.9", "huang2024/lemma-b.1"), assumptions=(_C10_N,),
    statement=(r"n\ge\frac{8C^2\log(1/\delta)}{\log(1/(1-(\delta/m)^2))}\Rightarrow|\langle\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle|"
               r">C\,B^{(0)}_{r,\pm}/n"),
    reading=_WHP_READING + "With C = C_c10 = 1 (the lemma says any constant C > 0; C.11 uses it with C of order "
            "101 C_l n/(M+1) ~ 200), B^(0)_{r,+-} read as the larger of the two. Two readings: (1) 'for all r, i' per "
            "replica; (2) per pair, P[fails] <= delta. The proof bounds B^(0)/n by C.9's sigma0 sigma_xi sqrt(d/n), but "
            "B^(0)_{r,+-}/n concentrates at sigma0 sigma_xi sqrt d/(2 sqrt(2 pi)) ~ 0.2 sigma0 sigma_xi sqrt d for "
            "every n (C.9 fails for the same reason), so a pair fails with probability ~ P(|Z| <= 0.2 C) ~ 0.16 C "
            "whatever n: the n-condition (an assumption here, n >= 5e5 at m = 16) cannot rescue it.",
    claims=(
        _whp("for all r, i: |<w0_r, xi_i>| > C B0_{r,+-}/n", C_c10 - SI["c10_min"],
             "for all r, i: ratio > C / 1000", C_c10 / 1000 - SI["c10_min"]),
        Probability("per pair: P[|<w0_r, xi_i>| <= C B0_{r,+-}/n] <= delta", event=_fails(C_c10 - SI["c10_ratio"]),
                    relation="<=", value=delta),
    ),
)

# 'm >= Omega~(1)' (C.12, D.10) states no constant. Read as the m at which the lemma's own average clears
# 0.2 w.p. >= 1 - delta in the normal approximation: per-neuron mean 0.40 and standard deviation 0.58 (C.12,
# every one of the n samples) or 0.81 (D.10, both sign classes), in units of the bound's scale.
_C12_M = sp.Ge(m, (sp.Rational(58, 20) * sp.sqrt(2) * sp.erfinv(1 - 2 * delta / n)) ** 2)
_D10_M = sp.Ge(m, (sp.Rational(81, 20) * sp.sqrt(2) * sp.erfinv(1 - delta)) ** 2)
LEMMA_C_12 = _init_result(
    ("c12_min",), id="huang2024/lemma-c.12", number="C.12", title="Average initial noise activation",
    tag="FOUND (primary)", uses=("huang2024/lemma-b.5",),
    statement=(r"m\ge\tilde\Omega(1)\Rightarrow\frac1m\sum_{r\in U^{(0)}_+}\Psi^{(0)}_{r,i}\ge0.2\sigma_0\sigma_\xi\sqrt d"
               r"\ (U_\pm\text{ by the sign of }\langle\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle),\ \text{and the same for }\Phi"),
    reading=_WHP_READING + "'m >= Omega~(1)' has no constant, so the statement is read at the instance's m = 16 as "
            "'for all i, w.p. >= 1 - delta' (Lemma 5.2 needs it for every i). (1/m) sum_r relu(<w0_r, xi_i>) has mean "
            "sigma0 sigma_xi sqrt d/sqrt(2 pi) = 0.40 and standard deviation 0.58/sqrt m (in those units), so at m = 16 "
            "one sample in eleven is below 0.2 and the minimum over n = 32 samples mostly is: m of order 80 is "
            "needed at n = 32. So 'm >= Omega~(1)' is read as m >= (2.9 Phi^-1(1 - delta/n))^2 (63 at n = 32, "
            "delta = 0.1; a normal approximation, our reading): the instance's m = 16 lies outside it, and the "
            "data's verdict is shown, not judged. Control: the bound 0.8.",
    assumptions=(_C12_M,),
    claims=(_whp("min_i (1/m) sum_{r in U+} Psi^(0)_{r,i} >= 0.2 sigma0 sigma_xi sqrt d", sp.Rational(1, 5) - SI["c12_min"],
                 "the same >= 0.8 sigma0 sigma_xi sqrt d", sp.Rational(4, 5) - SI["c12_min"]),),
)

_D6_THRESHOLD = lambda dim: 150 * n ** 2 * sp.sqrt(sp.log(6 * n ** 2 / delta)) / (sigma0 * sigma_xi * dim)  # noqa: E731
_D6_CONDITION = (300 * sp.sqrt(2) * n ** 3 * sp.log(6 * n ** 2 / delta)
                 / (sigma0 * sigma_xi * sp.sqrt(sp.pi) * sp.log(1 / (1 - (delta / m) ** 2))))
LEMMA_D_6 = _init_result(
    ("d6_minz", "d6_minz_big"), id="huang2024/lemma-d.6", number="D.6",
    title="Initial four-way totals are bounded away from 0", tag="FOUND (primary)", uses=("huang2024/lemma-b.1",),
    assumptions=(sp.Ge(d, _D6_CONDITION),),
    statement=(r"d\ge\frac{300\sqrt2n^3\log(6n^2/\delta)}{\sigma_0\sigma_\xi\sqrt\pi\log(1/(1-(\delta/m)^2))}\Rightarrow"
               r"B^{(0)}_{r,+,+},\tilde B^{(0)}_{r,+,+}>150\sqrt{\log(6n^2/\delta)/d}\;n^2"),
    reading=_WHP_READING + "The event is 'for all r, both encoders' per replica. (1) At the simulated d; (2) at "
            "the d of the condition (2.2e15 at n = 32, m = 16), with the normalised correlations sampled as i.i.d. "
            "standard normals and the replica's labels. There the threshold is ~1e-7 sigma0 sigma_xi sqrt d, so "
            "the only failure left is an empty quadrant: no i with y_i = 1, <w0_r, xi_i> > 0 and <v0_r, xi~_i> > 0, "
            "probability (7/8)^n per neuron, which no d condition removes (an n condition would: n >= 8 log(2m/delta) "
            "or so). Control of (2): the threshold multiplied by 1e6.",
    claims=(
        _whp("at the simulated d: min_r min(B0_{r,+,+}, B~0_{r,+,+}) > 150 sqrt(log(6n^2/delta)/d) n^2",
             _D6_THRESHOLD(d) - SI["d6_minz"], "threshold at d / 4", _D6_THRESHOLD(d / 4) - SI["d6_minz"]),
        _whp("at the condition's d: the same", _D6_THRESHOLD(_D6_CONDITION) - SI["d6_minz_big"],
             "threshold 1e6 times larger", 10 ** 6 * _D6_THRESHOLD(_D6_CONDITION) - SI["d6_minz_big"]),
    ),
)

LEMMA_D_7 = _init_result(
    ("d7_ratio", "d7_min"), id="huang2024/lemma-d.7", number="D.7",
    title="Noise correlations dominate the four-way totals", tag="FOUND (primary)", uses=("huang2024/lemma-b.1",),
    assumptions=(sp.Ge(n, 8 * sp.log(1 / delta) / sp.log(1 / (1 - (delta / m) ** 2))),),
    statement=(r"n\ge\frac{8\log(1/\delta)}{\log(1/(1-(\delta/m)^2))}\Rightarrow|\langle\mathbf w^{(0)}_r,\boldsymbol\xi_i\rangle|"
               r">B^{(0)}_{r,+,+}/n,\ \text{and the same for the tilde version}"),
    reading=_WHP_READING + "As C.10 with C = 1 and the four-way total: (1) 'for all r, i, both encoders' per "
            "replica; (2) per pair, P[fails] <= delta. B^(0)_{r,+,+}/n concentrates at ~0.1 sigma0 sigma_xi sqrt d "
            "for every n, so a pair fails with probability ~0.08 whatever n; the n-condition (n >= 5e5 at m = 16) "
            "is an assumption here.",
    claims=(
        _whp("for all r, i: |<w0_r, xi_i>| > B0_{r,+,+}/n", 1 - SI["d7_min"], "for all r, i: ratio > 1/1000",
             sp.Rational(1, 1000) - SI["d7_min"]),
        Probability("per pair: P[|<w0_r, xi_i>| <= B0_{r,+,+}/n] <= delta", event=_fails(1 - SI["d7_ratio"]),
                    relation="<=", value=delta),
    ),
)

LEMMA_D_10 = _init_result(
    ("d10_min",), id="huang2024/lemma-d.10", number="D.10", title="Average initial aligned signal",
    tag="FOUND (primary)", uses=("huang2024/definition-eq1",),
    statement=(r"m\ge\tilde\Omega(1)\Rightarrow\frac1m\sum_{r\in U^{(0)}_+\cap\tilde U^{(0)}_+}\big(A^{(0)}_r+\tilde A^{(0)}_r/C_\mu\big)"
               r"\ge0.2\sigma_0\|\boldsymbol\mu\|,\ \text{and the same for }U_-\cap\tilde U_-"),
    reading=_WHP_READING + "Read at the instance's m = 16, for both sign classes at once (per replica). With "
            "A^(0)_r = |<w0_r, mu>| and A~^(0)_r/C_mu = sigma0 ||mu|| |z~_r| the average has mean "
            "(1/4)(2 sqrt(2/pi)) = 0.40 sigma0 ||mu|| but only ~m/4 = 4 terms: its spread at m = 16 is large "
            "(per-neuron standard deviation 0.81). 'm >= Omega~(1)' is read as m >= (4.05 Phi^-1(1 - delta/2))^2 "
            "(44 at delta = 0.1; a normal approximation, our reading): the instance's m = 16 lies outside it, and "
            "the data's verdict is shown, not judged. Control: the bound 0.8.",
    assumptions=(_D10_M,),
    claims=(_whp("min over U+ cap U~+, U- cap U~- of (1/m) sum (A0 + A~0/C_mu) >= 0.2 sigma0 ||mu||",
                 sp.Rational(1, 5) - SI["d10_min"], "the same >= 0.8 sigma0 ||mu||", sp.Rational(4, 5) - SI["d10_min"]),),
)

INIT_RESULTS = [LEMMA_B_1, LEMMA_B_2, LEMMA_B_3, LEMMA_B_4, LEMMA_B_5, LEMMA_C_5, LEMMA_C_6, LEMMA_C_8, LEMMA_C_10,
                LEMMA_C_12, LEMMA_D_6, LEMMA_D_7, LEMMA_D_10]

