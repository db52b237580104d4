"""huang2022: Huang, Lin, Zhou, Yang, Huang. Modality Competition: What Makes Joint Training of
Multi-modal Network Fail in Deep Learning? (Provably). ICML 2022, arXiv 2203.12221.

Source: ``shared/papers/modality-competition.md`` (the team's reconstruction; its tags FOUND / R-high /
R-med / R-low are copied into each result's ``tag``). Numbering follows the paper: Def 4.1, Thm 5.1
(= B.2), Thm 5.2 (= A.21), Cor 5.3 (= A.22), Property 6.1, Lemma A.1, Def A.2, Lemma A.3.

Regime of the ``quick`` profile (note section 5.1, with m = 8 instead of 4): k = 10, m = 8, q = 3,
varrho = 0.1, d = 400, n = 100, sigma0 = 1e-4. m = polylog(k) is read as m = 8: with the note's m = 4,
a class whose 4 uni-modal neurons all start negatively correlated with its feature (probability
2^-4 = 1/16 per class) is never learned within T, so about half the uni-modal networks keep a
non-zero training error, against Thm 5.1; at m = 8 that probability is 2^-8. The paper's sigma0^(q-2) = 1/k would give sigma0 = varrho at k = 10, where the
asymptotic orders do not separate; the finite-size reading of "small initialisation" is
sigma0 <= varrho / 100, which this profile meets (sigma0 = varrho / 1000). With sigma0 = 1/sqrt(d),
d = 100, n = 400 both encoders learn and joint training helps: that is a different experiment.
"""
from __future__ import annotations

import sympy as sp

from verifier import (Approx, Bound, Identity, Implication, Kind, Limit, Ordering, Paper, Parameter,
                      Probability, Result)

PAPER = Paper(
    key="huang2022",
    title="Modality Competition: What Makes Joint Training of Multi-modal Network Fail in Deep Learning? (Provably)",
    authors=("Yu Huang", "Junyang Lin", "Chang Zhou", "Hongxia Yang", "Longbo Huang"),
    year=2022, venue="ICML 2022 (PMLR 162, pp. 9226-9259)", arxiv="2203.12221",
    source="shared/papers/modality-competition.md",
)

# ---------------------------------------------------------------------------------------------
# Parameters of the simulated instance (note section 5.1) shared by Thm 5.1, Thm 5.2 and Cor 5.3.
# ---------------------------------------------------------------------------------------------
_TRAINING_PARAMETERS = (
    Parameter("k", "number of classes", lower=2, integer=True),
    Parameter("m", "neurons per class and modality", lower=1, integer=True),
    Parameter("q", "degree of the smoothed ReLU (Def 4.1)", lower=3, integer=True),
    Parameter("rho_thr", "threshold varrho of the smoothed ReLU", lower=0),
    Parameter("d", "input dimension of each modality", lower=1, integer=True),
    Parameter("n", "multi-modal training pairs", lower=1, integer=True),
    Parameter("n_test", "fresh test pairs per replica", lower=1, integer=True),
    Parameter("sigma0", "initialisation standard deviation", lower=0),
    Parameter("sigma_p_norm", "norm of the Gaussian noise (sigma_p = sigma_p_norm / sqrt(d))", lower=0),
    Parameter("mu1", "probability that modality 1 is insufficient", lower=0, upper=1),
    Parameter("mu2", "probability that modality 2 is insufficient", lower=0, upper=1),
    Parameter("s", "off-target features per sample (exactly s, without replacement)", lower=0, integer=True),
    Parameter("suff_lo", "sufficient target coefficient z_y ~ U[suff_lo, suff_hi]", lower=0),
    Parameter("suff_hi", "upper end of the sufficient target coefficient (the constant C)", lower=0),
    Parameter("suff_off_hi", "sufficient off-target coefficients ~ U[0, suff_off_hi] (the constant c < 1)", lower=0, upper=1),
    Parameter("insuff_target", "insufficient target coefficient rho_r", lower=0),
    Parameter("insuff_off_lo", "insufficient off-target coefficients ~ U[lo, hi] (delta_1)", lower=0),
    Parameter("insuff_off_hi", "upper end of insufficient off-target coefficients (delta_2)", lower=0),
    Parameter("eta", "learning rate of full-batch gradient descent", lower=0),
    Parameter("steps", "gradient-descent iterations T", lower=1, integer=True),
    Parameter("record_every", "iterations between recorded feature correlations", lower=1, integer=True),
    Parameter("loser_frac", "a win is decisive when the loser is below loser_frac * varrho at the winner's T_j", lower=0, upper=1),
)

_INSTANCE = {
    "k": 10, "m": 8, "q": 3, "rho_thr": 0.1, "d": 400, "n": 100, "n_test": 2000, "sigma0": 1e-4,
    "sigma_p_norm": 0.5, "mu1": 0.1, "mu2": 0.2, "s": 3, "suff_lo": 1.0, "suff_hi": 2.0, "suff_off_hi": 0.1,
    "insuff_target": 0.2, "insuff_off_lo": 0.4, "insuff_off_hi": 1.0, "eta": 2.0, "steps": 3000,
    "record_every": 10, "loser_frac": 0.5,
}
_TRAINING_PROFILES = {"quick": _INSTANCE, "full": {**_INSTANCE, "n_test": 10000}}
_TRAINING_REPLICAS = {"quick": 32, "full": 1024}
_TRAINING_CHECK = "checks.modality_competition:joint_vs_unimodal"

k, m, q, rho_thr, d, n, sigma0, mu1, mu2 = sp.symbols("k m q rho_thr d n sigma0 mu1 mu2", positive=True)
_REGIME = (
    sp.Ge(q, 3),
    sp.Le(sigma0, rho_thr / 100),  # "small initialisation", read as sigma0 <= varrho / 100
    sp.Le(mu1, sp.Rational(1, 4)), sp.Le(mu2, sp.Rational(1, 4)),  # mu_r = o(1), read as <= 1/4
)

_TRAINING_MEASURES = {
    "train_err_joint": "training error of the jointly trained late-fusion network",
    "train_err_uni1": "training error of the uni-modal network of modality 1",
    "train_err_uni2": "training error of the uni-modal network of modality 2",
    "test_err_joint": "test error of the jointly trained network",
    "test_err_uni1": "test error of the uni-modal network of modality 1",
    "test_err_uni2": "test error of the uni-modal network of modality 2",
    "test_err_enc1": "test error of the jointly trained encoder 1 alone under the fixed head",
    "test_err_enc2": "test error of the jointly trained encoder 2 alone under the fixed head",
    "test_err_joint_half": "test error of the joint network at T/2",
    "test_err_uni1_half": "test error of uni-modal network 1 at T/2",
    "test_err_uni2_half": "test error of uni-modal network 2 at T/2",
    "test_err_joint_insuff1": "joint test error on pairs whose modality 1 alone is insufficient",
    "test_err_joint_insuff2": "joint test error on pairs whose modality 2 alone is insufficient",
    "p_end1": "fraction of classes learned by modality 1 alone at T (Gamma_{j,1} >= varrho > Gamma_{j,2})",
    "p_end2": "fraction of classes learned by modality 2 alone at T",
    "p_end_both": "fraction of classes learned by both modalities at T (the loser caught up)",
    "p_end_none": "fraction of classes learned by neither modality at T",
    "p_learned1": "fraction of classes first reaching varrho in modality 1 while modality 2 is below loser_frac*varrho",
    "p_learned2": "the same for modality 2",
    "p_init1": "fraction of classes won by modality 1 at initialisation (Def A.2)",
    "p_init2": "fraction of classes won by modality 2 at initialisation (Def A.2)",
    "winner_agreement": "fraction of Def A.2 winners that are also the first to reach varrho",
}

_t_uni1, _t_uni2, _t_joint = sp.symbols("train_err_uni1 train_err_uni2 train_err_joint")
_e_uni1, _e_uni2, _e_joint = sp.symbols("test_err_uni1 test_err_uni2 test_err_joint")
_e_uni1_half, _e_uni2_half, _e_joint_half = sp.symbols("test_err_uni1_half test_err_uni2_half test_err_joint_half")
_e_enc1, _e_enc2 = sp.symbols("test_err_enc1 test_err_enc2")
_p1, _p2, _p_both = sp.symbols("p_end1 p_end2 p_end_both")
_REALISED_ENC1 = (1 - _p1 - _p_both) + mu1 * (_p1 + _p_both)
_REALISED_ENC2 = (1 - _p2 - _p_both) + mu2 * (_p2 + _p_both)
_P_HAT_READING = (
    "p_r is estimated per replica as in the note's realised form (section 4.1): the fraction of classes j "
    "that modality r learned while the other modality's correlation Gamma_{j,3-r} stayed below varrho at T "
    "('p_end_r'; 'learned' = Gamma_{j,r} >= varrho). The first-crossing estimator 'p_learned_r' is "
    "recorded beside it; at simulable k the loser keeps growing (trap 5.3b), so the two differ."
)

_ZERO_TRAIN_READING = (
    "'Zero training error' is read as: the training error pooled over all replicas has a Clopper-Pearson "
    "interval below 1/(2n) (fewer than half a misclassified pair per replica on average); the negative "
    "control 'at least one error per replica on average' (>= 1/n) must be rejected."
)


def _zero_training_error(label: str, quantity: sp.Symbol) -> Bound:
    """Thm 5.1 / 5.2 (train): the training error is 0, with the reading above."""
    return Bound(label, quantity=quantity, relation="<=", bound=1 / (2 * n), statistic="proportion", trials=n,
                 explicit_control=Bound(f"control: {label}", quantity=quantity, relation=">=", bound=1 / n,
                                        statistic="proportion", trials=n))


def _encoder_lower_bound(label: str, error: sp.Symbol, p_other: sp.Symbol, realised: sp.Basic) -> Bound:
    """Thm 5.2 (R2): encoder error >= (1 - o(1)) p_{3-r}; control: >= 1.5 x the realised form."""
    return Bound(label, quantity=error, relation=">=", bound=sp.Rational(4, 5) * p_other,
                 explicit_control=Bound(f"control: {label}", quantity=error, relation=">=",
                                        bound=sp.Rational(3, 2) * realised))


def _converged(label: str, late: sp.Symbol, half: sp.Symbol) -> Approx:
    """Trap 5.3(a): the test error no longer moves between T/2 and T (within 15%)."""
    return Approx(label, quantity=late, target=half, rtol=0.15, control_factor=2.0)


def _training_result(**fields) -> Result:
    return Result(paper=PAPER, parameters=_TRAINING_PARAMETERS, profiles=_TRAINING_PROFILES,
                  replicas=_TRAINING_REPLICAS, check=_TRAINING_CHECK, assumptions=_REGIME,
                  measures=_TRAINING_MEASURES, **fields)


# ---------------------------------------------------------------------------------------------
# Definition 4.1: the smoothed ReLU.
# ---------------------------------------------------------------------------------------------
_z = sp.Symbol("z", real=True)
_rho = sp.Symbol("varrho", positive=True)
_p = sp.Symbol("p", integer=True, nonnegative=True)  # q = 3 + p encodes "integer q >= 3"
_q = 3 + _p
_POLY = _z**_q / (_q * _rho ** (_q - 1))
_LINEAR = _z - (1 - sp.Integer(1) / _q) * _rho
SMOOTHED_RELU = sp.Piecewise((0, _z <= 0), (_POLY, _z <= _rho), (_LINEAR, True))

DEFINITION_4_1 = Result(
    id="huang2022/definition-4.1", kind=Kind.DEFINITION, number="4.1", title="Smoothed ReLU", paper=PAPER,
    tag="R-high (AZL, identical)",
    statement=(r"\widetilde{\mathrm{ReLU}}(z)=\begin{cases}0,& z\le0\\ \frac{z^q}{q\varrho^{q-1}},& z\in[0,\varrho]\\"
               r" z-(1-\frac1q)\varrho,& z\ge\varrho\end{cases},\quad q\ge3"),
    reading="Checked for every integer q >= 3 (q = 3 + p, p >= 0) and every varrho > 0: the pieces join "
            "continuously at 0 and varrho, and so do their derivatives (the function is C^1).",
    claims=(
        Limit("continuous at 0", expr=_POLY, var=_z, point=0, value=0, direction="+"),
        Identity("continuous at varrho", lhs=_POLY.subs(_z, _rho), rhs=_LINEAR.subs(_z, _rho)),
        Limit("derivative continuous at 0", expr=sp.diff(_POLY, _z), var=_z, point=0, value=0, direction="+"),
        Identity("derivative continuous at varrho", lhs=sp.diff(_POLY, _z).subs(_z, _rho),
                 rhs=sp.diff(_LINEAR, _z).subs(_z, _rho)),
        Identity("linear piece has slope 1", lhs=sp.diff(_LINEAR, _z), rhs=1),
    ),
)

# ---------------------------------------------------------------------------------------------
# Lemma A.1: Gaussian facts (anti-concentration, reversal, Kamath's bounds on E max).
# ---------------------------------------------------------------------------------------------
_mean_max, _k_lo, _k_hi = sp.symbols("mean_max kamath_lower kamath_upper")
_anti, _anti_bound, _rev, _rev_lower = sp.symbols("anti_conc_events anti_conc_bound reversal_events reversal_lower")

LEMMA_A_1 = Result(
    id="huang2022/lemma-a.1", kind=Kind.LEMMA, number="A.1", title="Gaussian facts", paper=PAPER,
    tag="R-med (references FOUND: Chernozhukov-Chetverikov-Kato 2015, Kamath 2015)",
    statement=(r"X,Y\in\mathbb R^m\ \text{i.i.d.}\ \mathcal N(0,\sigma^2):\ "
               r"\Pr[|\max_iX_i-c\max_iY_i|\le\delta]\le O(\delta\sqrt{\log m}/\sigma),\quad "
               r"\Pr[\max_iX_i\ge c\max_iY_i]\ge m^{-O(1)}\ (c\ge1),\quad "
               r"\frac{\sigma\sqrt{\log_2m}}{\sqrt\pi}\le\mathbb E\max_iX_i\le\sigma\sqrt{2\ln m}"),
    reading="O(delta sqrt(log m)/sigma) is read as 2 delta sup_x f_max(x) (the density of max X bounds the "
            "mass of an interval of length 2 delta, for every c >= 0); m^{-O(1)} is read as the explicit bound "
            "Phi(sqrt(2 ln m))^m (1 - (1 - Phibar(c sqrt(2 ln m)))^m). Monte Carlo over draws x replicas.",
    parameters=(Parameter("m", "length of the Gaussian vectors", lower=1, integer=True),
                Parameter("sigma", "standard deviation", lower=0),
                Parameter("draws", "pairs (X, Y) per replica", lower=1, integer=True),
                Parameter("c_anti", "the constant c of (a)", lower=0),
                Parameter("delta", "half-width delta of (a)", lower=0),
                Parameter("c_rev", "the constant c >= 1 of (b)", lower=1)),
    profiles={"quick": {"m": 4, "sigma": 1.0, "draws": 20000, "c_anti": 1.0, "delta": 0.05, "c_rev": 1.5},
              "full": {"m": 4, "sigma": 1.0, "draws": 200000, "c_anti": 1.0, "delta": 0.05, "c_rev": 1.5}},
    replicas={"quick": 4, "full": 64}, check="checks.gaussian_maxima:gaussian_max_facts",
    measures={"mean_max": "mean of max_i X_i per replica", "kamath_lower": "Kamath's lower bound",
              "kamath_upper": "Kamath's upper bound", "anti_conc_events": "|max X - c max Y| <= delta, per draw",
              "anti_conc_bound": "2 delta sup density of max X", "reversal_events": "max X >= c max Y, per draw",
              "reversal_lower": "explicit lower bound of (b)"},
    claims=(
        Bound("E max <= sigma sqrt(2 ln m)", quantity=_mean_max, relation="<=", bound=_k_hi),
        Bound("E max >= sigma sqrt(log2 m)/sqrt(pi)", quantity=_mean_max, relation=">=", bound=_k_lo),
        Probability("(a) anti-concentration", event=_anti, relation="<=", value=_anti_bound),
        Probability("(b) reversal", event=_rev, relation=">=", value=_rev_lower),
    ),
)

# ---------------------------------------------------------------------------------------------
# Definition A.2: the winning modality.
# ---------------------------------------------------------------------------------------------
_g1, _g2, _G, _a = sp.symbols("Gamma1 Gamma2 G a", positive=True)
DEFINITION_A_2 = Result(
    id="huang2022/definition-a.2", kind=Kind.DEFINITION, number="A.2", title="Winning modality", paper=PAPER,
    tag="R-med",
    statement=(r"r\ \text{wins class}\ j\iff\Gamma^{(0)}_{j,r}\ge\Big(1+\frac1{\log^2m}\Big)"
               r"\Big(\frac{C^{3-r}_j}{C^r_j}\Big)^{\frac1{q-2}}\Gamma^{(0)}_{j,3-r}"),
    reading="'It is obvious that at most one of modalities can win': checked symbolically for every positive "
            "Gamma, margin G and ratio a = (C^{3-r}/C^r)^{1/(q-2)}.",
    claims=(
        Implication("at most one modality wins",
                    premises=(sp.Ge(_g1, (1 + _G) * _a * _g2), sp.Ge(_g2, (1 + _G) / _a * _g1)),
                    conclusion=sp.false, multipliers=(1, (1 + _G) * _a), positive=("Gamma1", "Gamma2", "G", "a")),
    ),
)

# ---------------------------------------------------------------------------------------------
# Lemma A.3 and Property 6.1: probabilities of winning.
# ---------------------------------------------------------------------------------------------
_wins1, _wins2, _neither, _pe1, _pe2 = sp.symbols("wins1 wins2 neither p_exact1 p_exact2")
_WIN_MEASURES = {"wins1": "modality 1 wins the class (per class)", "wins2": "modality 2 wins (per class)",
                 "neither": "no modality wins (per class)", "p_exact1": "exact p_1 by quadrature",
                 "p_exact2": "exact p_2 by quadrature"}
_WIN_PARAMETERS = (Parameter("m", "neurons per class and modality", lower=1, integer=True),
                   Parameter("ratio", "a_1/a_2 = (C^1_j/C^2_j)^{1/(q-2)}", lower=0),
                   Parameter("sigma0", "initialisation standard deviation", lower=0),
                   Parameter("classes", "classes per replica", lower=1, integer=True))

LEMMA_A_3 = Result(
    id="huang2022/lemma-a.3", kind=Kind.LEMMA, number="A.3", title="Winning-modality characterisation",
    paper=PAPER, tag="R-high", uses=("huang2022/lemma-a.1", "huang2022/definition-a.2"),
    statement=r"\text{(i)}\ p_1+p_2\ge1-o(1),\qquad\text{(ii)}\ p_r\ge m^{-O(1)}\ \ \forall r\in[2]",
    reading="o(1) is read as the proof's O(1/log m) with constant 1: p_1 + p_2 >= 1 - 1/ln m; m^{-O(1)} as "
            "m^{-2}. Also checked: the exact finite-m formula (quadrature) against Monte Carlo within 0.02. "
            "Unequal modalities (ratio a_1/a_2 = 1.5) so that p_1 != p_2.",
    parameters=_WIN_PARAMETERS,
    profiles={"quick": {"m": 4, "ratio": 1.5, "sigma0": 1e-4, "classes": 5000},
              "full": {"m": 4, "ratio": 1.5, "sigma0": 1e-4, "classes": 50000}},
    replicas={"quick": 4, "full": 64}, check="checks.gaussian_maxima:winning_modality_at_init",
    measures=_WIN_MEASURES,
    claims=(
        Probability("(i) some modality wins", event=_wins1 + _wins2, relation=">=", value=1 - 1 / sp.log(m),
                    control_value=_pe1 + _pe2 + sp.Rational(5, 100)),
        Probability("(ii) p_2 >= m^-2", event=_wins2, relation=">=", value=m**-2, control_value=_pe2 + sp.Rational(5, 100)),
        Probability("p_1 = exact formula", event=_wins1, relation="==", value=_pe1, atol=0.02, control_value=_pe1 + 0.06),
        Probability("p_2 = exact formula", event=_wins2, relation="==", value=_pe2, atol=0.02, control_value=_pe2 + 0.06),
    ),
)

PROPERTY_6_1 = Result(
    id="huang2022/property-6.1", kind=Kind.PROPERTY, number="6.1", title="A winning modality exists",
    paper=PAPER, tag="R-high (margin R-med)", uses=("huang2022/definition-a.2", "huang2022/lemma-a.3"),
    statement=(r"\forall j\ \text{w.h.p.}\ \exists r:\ \Gamma^{(0)}_{j,r}(C^r_j)^{\frac1{q-2}}\ge(1+G)\,"
               r"\Gamma^{(0)}_{j,3-r}(C^{3-r}_j)^{\frac1{q-2}},\quad G=\frac1{\log^2m}"),
    reading="Lemma A.3 gives probability 1 - o(1), not 1 - exp(-Omega(log^2 k)): 'w.h.p.' is read as "
            "P[some modality wins] >= 1 - 1/ln m, checked at the larger m = 20 with equal modalities, where "
            "'neither' is about 0.21 (it vanishes only like 1/log m).",
    parameters=_WIN_PARAMETERS,
    profiles={"quick": {"m": 20, "ratio": 1.0, "sigma0": 1e-4, "classes": 5000},
              "full": {"m": 20, "ratio": 1.0, "sigma0": 1e-4, "classes": 50000}},
    replicas={"quick": 4, "full": 64}, check="checks.gaussian_maxima:winning_modality_at_init",
    measures=_WIN_MEASURES,
    claims=(Probability("some modality wins", event=_wins1 + _wins2, relation=">=", value=1 - 1 / sp.log(m),
                        control_value=_pe1 + _pe2 + sp.Rational(5, 100)),),
)

# ---------------------------------------------------------------------------------------------
# Theorem 5.1 (= B.2): uni-modal networks.
# ---------------------------------------------------------------------------------------------
THEOREM_5_1 = _training_result(
    id="huang2022/theorem-5.1", kind=Kind.THEOREM, number="5.1 (= B.2)",
    title="Uni-modal networks learn their modality", tag="statement R-high, constants R-med",
    uses=("huang2022/definition-4.1",),
    statement=(r"\frac1n\sum_{(x^r,y)\in\mathcal Z_r}\mathbb 1\{\exists j\ne y: F^{r,(T)}_{\mathrm{uni},y}\le "
               r"F^{r,(T)}_{\mathrm{uni},j}\}=0,\qquad \Pr_{\mathcal D_r}[\exists j\ne y: F^{r,(T)}_{\mathrm{uni},y}\le "
               r"F^{r,(T)}_{\mathrm{uni},j}]=(1\pm o(1))\,\mu_r"),
    reading=_ZERO_TRAIN_READING + " The test error (1 +- o(1)) mu_r is read with o(1) = 0.25 (replica mean of "
            "the error over mu_r within [0.75, 1.25]). 'After T = poly(k)/eta iterations' is read as T = 3000 "
            "steps at eta = 2, and convergence is checked (test error at T within 15% of that at T/2).",
    claims=(
        _zero_training_error("train error of uni-modal 1 = 0", _t_uni1),
        _zero_training_error("train error of uni-modal 2 = 0", _t_uni2),
        Approx("test error of uni-modal 1 = (1 +- o(1)) mu1", quantity=_e_uni1, target=mu1, rtol=0.25),
        Approx("test error of uni-modal 2 = (1 +- o(1)) mu2", quantity=_e_uni2, target=mu2, rtol=0.25),
        _converged("uni-modal 1 converged", _e_uni1, _e_uni1_half),
        _converged("uni-modal 2 converged", _e_uni2, _e_uni2_half),
    ),
)

# ---------------------------------------------------------------------------------------------
# Theorem 5.2 (= A.21): joint training.
# ---------------------------------------------------------------------------------------------
THEOREM_5_2 = _training_result(
    id="huang2022/theorem-5.2", kind=Kind.THEOREM, number="5.2 (= A.21)",
    title="Joint training: zero training error, but an encoder may be bad", tag="R-med",
    uses=("huang2022/definition-4.1", "huang2022/definition-a.2", "huang2022/lemma-a.3", "huang2022/property-6.1"),
    statement=(r"\frac1n\sum_{(X,y)\in\mathcal Z}\mathbb 1\{\exists j\ne y: F^{(T)}_y(X)\le F^{(T)}_j(X)\}=0;"
               r"\quad\text{w.p. } p_{3-r}\text{ encoder } r \text{ fails its class:}\quad "
               r"\Pr_{\mathcal D_r}[\text{error of }F^{r,(T)}]\ge(1-o(1))\,p_{3-r}\gg\mu_r"),
    reading=_ZERO_TRAIN_READING + " The encoder part is checked in its aggregate form (R2): the test error of "
            "encoder r alone is >= (1 - o(1)) p_{3-r} with o(1) = 0.2. The realised form (note section 4.1: "
            "error of encoder r = (1 - p_r - p_both) + mu_r (p_r + p_both) >= p_{3-r}) is checked with relative "
            "tolerance 0.25; it is what makes the error '>> mu_r' when p_{3-r} >> mu_r. The control of the "
            "lower bound raises it to 1.5 x the realised form. " + _P_HAT_READING,
    claims=(
        _zero_training_error("train error of the joint network = 0", _t_joint),
        _encoder_lower_bound("encoder 1 error >= (1 - o(1)) p_2", _e_enc1, _p2, _REALISED_ENC1),
        _encoder_lower_bound("encoder 2 error >= (1 - o(1)) p_1", _e_enc2, _p1, _REALISED_ENC2),
        Approx("encoder 1 error = realised form", quantity=_e_enc1, target=_REALISED_ENC1, rtol=0.25),
        Approx("encoder 2 error = realised form", quantity=_e_enc2, target=_REALISED_ENC2, rtol=0.25),
        _converged("joint network converged", _e_joint, _e_joint_half),
    ),
)

# ---------------------------------------------------------------------------------------------
# Corollary 5.3 (= A.22): failure of joint training.
# ---------------------------------------------------------------------------------------------
_P1, _P2, _M1, _M2, _D = sp.symbols("p1 p2 mu1 mu2 delta", positive=True)
COROLLARY_5_3 = _training_result(
    id="huang2022/corollary-5.3", kind=Kind.COROLLARY, number="5.3 (= A.22)", title="Failure of joint training",
    tag="R-med", uses=("huang2022/theorem-5.1", "huang2022/theorem-5.2", "huang2022/lemma-a.3"),
    statement=(r"\Pr_{(X,y)\sim\mathcal D}\big[\exists j\ne y: F^{(T)}_y(X)\le F^{(T)}_j(X)\big]"
               r"\ge(1-o(1))\,(p_1\mu_1+p_2\mu_2)\ \ (\approx\text{ as prediction}),\qquad"
               r"\text{best uni-modal error}=(1\pm o(1))\min_r\mu_r"),
    reading="The proven direction is checked: joint test error >= (1 - o(1)) (p_1 mu_1 + p_2 mu_2) with "
            "o(1) = 0.2; its control (>= 1.6 times the prediction) encodes the paper's two-sided 'approximately'. The "
            "consequence 'joint training is no better than the best uni-modal network' is checked as "
            "joint error >= 0.9 x min_r (uni-modal error r); its control (>= 1.8 x) is the paper's "
            "upper limit p_1 mu_1 + p_2 mu_2 <= max_r mu_r = 2 min_r mu_r at mu = (0.1, 0.2). The "
            "algebra behind the consequence (p_1 + p_2 >= 1 - delta implies p_1 mu_1 + p_2 mu_2 >= "
            "(1 - delta) min mu) is proved symbolically. " + _P_HAT_READING,
    claims=(
        Bound("joint error >= (1 - o(1)) (p1 mu1 + p2 mu2)", quantity=_e_joint, relation=">=",
              bound=sp.Rational(4, 5) * (_p1 * mu1 + _p2 * mu2)),
        Ordering("joint error >= best uni-modal error", lesser=sp.Rational(9, 10) * sp.Min(_e_uni1, _e_uni2),
                 greater=_e_joint),
        Implication("p1 + p2 >= 1 - delta, mu2 >= mu1 => p1 mu1 + p2 mu2 >= (1 - delta) mu1",
                    premises=(sp.Ge(_P1 + _P2, 1 - _D), sp.Ge(_M2, _M1)),
                    conclusion=sp.Ge(_P1 * _M1 + _P2 * _M2, (1 - _D) * _M1),
                    multipliers=(_M1, _P2), positive=("p1", "p2", "mu1", "mu2", "delta")),
    ),
)

RESULTS = [DEFINITION_4_1, LEMMA_A_1, DEFINITION_A_2, LEMMA_A_3, PROPERTY_6_1, THEOREM_5_1, THEOREM_5_2,
           COROLLARY_5_3]
