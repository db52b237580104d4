"""huang2022: the appendix's O~(.) statements along a ladder of class counts k (issue 19).

The single-size results of :mod:`theorems.huang2022` judge every O~ bound of Appendices A-B at k = 10 under
the reading polylog(k) := 1/varrho = 10, a constant we fixed ourselves (``APPENDIX_READING``). Here the same
quantities are measured at several k (``checks.modality_competition_ladder``: the shared training at every
rung, the other sizes scaled with k as the note's section 1 regime asks) and each O~ statement is an
:class:`~verifier.spec.claims.Order` claim along k: its implied constant C = quantity / order must not grow
faster than a polylog, judged by the log-log slope of C against k, with no constant fixed. One result per
node, ``<node>-k-ladder``, which ``uses`` the node it re-reads (the single-size verdict stays beside it).

Not laddered: Induction Hypothesis A.4 (vi) (its maximum runs over the insufficient pairs of Def A.2 losers,
a set that is empty in some replicas at k = 4, n = 40), the uni-modal analogues of Claims A.9 (b) and A.11
(a uni-modal class that is never learned leaves T_0 undefined, more often as k grows), the Omega(sigma0) side
of A.4 (vii) (not an O~ statement), and the nodes whose claims are not O~ bounds (Claim A.7's predictor,
Lemma A.14's probabilities, Fact A.5's fresh-data probability).
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from theorems.huang2022 import (
    _DYN_MEASURES,
    _INSTANCE,
    _TRAINING_PARAMETERS,
    CLAIM_A_8,
    CLAIM_A_9,
    CLAIM_A_10,
    CLAIM_A_11,
    CLAIM_A_12,
    FACT_A_5,
    FACT_A_6,
    INDUCTION_HYPOTHESIS_A_4,
    INDUCTION_HYPOTHESIS_B_1,
    LEMMA_A_13,
    LEMMA_A_16,
    LEMMA_A_17,
    LEMMA_A_18,
    LEMMA_A_19,
    PAPER,
    THEOREM_A_20,
)
from verifier import Order, Origin, Parameter, Provenance, Result
from verifier.spec.figures import Sweep
from verifier.spec.readings import Reading

_CHECK = "checks.modality_competition_ladder:modality_competition_ladder"
_k = sp.Symbol("k_ladder")
_eta, _sigma0, _s = sp.symbols("eta_at_k sigma0_at_k s_at_k")
k, q, rho_thr, sigma0, mu1, mu2, k_min = sp.symbols("k q rho_thr sigma0 mu1 mu2 k_min", positive=True)

_SCALED = ("n", "d", "sigma0", "eta", "steps", "record_every", "s")


def _at_k_ref(p: Parameter) -> Parameter:
    """A training parameter as the ladder reads it: k is k_ref, and the sizes scaled with k hold at k_ref."""
    if p.name == "k":
        return Parameter("k", "k_ref: the class count at which the other parameters hold; n, d, eta, steps, "
                              "record_every, sigma0 and s are scaled from it to every k of the ladder", lower=3, integer=True)
    if p.name in _SCALED:
        return replace(p, description=f"{p.description}, at k_ref (scaled with k along the ladder)")
    return p


_PARAMETERS = tuple(_at_k_ref(p) for p in _TRAINING_PARAMETERS) + (
    Parameter("k_min", "smallest k of the ladder", lower=3, integer=True),
    Parameter("k_max", "largest k of the ladder", lower=4, integer=True),
    Parameter("ladder_points", "rungs, geometrically spaced from k_min to k_max (rounded)", lower=2, integer=True),
)
_PROFILES = {"quick": {**_INSTANCE, "n_test": 500, "k_min": 4, "k_max": 10, "ladder_points": 3},
             "full": {**_INSTANCE, "n_test": 2000, "k_min": 4, "k_max": 32, "ladder_points": 4}}
_REPLICAS = {"quick": 8, "full": 64}
# the largest sigma0 of the ladder (at k_min) is still 'small initialisation' (sigma0 <= varrho / 100, as at k_ref)
_REGIME = (sp.Ge(q, 3), sp.Le(sigma0 * (k / k_min) ** (1 / (q - 2)), rho_thr / 100),
           sp.Le(mu1, sp.Rational(1, 4)), sp.Le(mu2, sp.Rational(1, 4)))

SIZES_READING = Reading(
    name="huang2022-k-ladder-sizes",
    word="n, d = poly(k); sigma0^(q-2) = 1/k; eta <= 1/poly(k); T = poly(k)/eta; m, s = polylog(k); "
         "varrho = 1/polylog(k)",
    means="Each rung trains the section-5.1 instance scaled from k_ref = 10: n = 10 k and d = 40 k (n/k pairs per "
          "class and d/n = 4 as at k_ref), sigma0 = 1e-4 (10/k)^(1/(q-2)), eta = 0.2 k, T = 300 k steps (recorded "
          "every k), s = round(3 ln k / ln 10) (2, 2, 3 at k = 4, 6, 10); m = 8, varrho = 0.1, q = 3, the noise norm "
          "0.5, mu = (0.1, 0.2) and the coefficient ranges fixed. Quick: k = 4, 6, 10, 8 replicas; full: k = 4, 8, 16, "
          "32, 64 replicas",
    why="n, d linear is the simplest poly(k) and keeps the instance's pairs per class and d/n (trap 5.3c); sigma0 "
        "follows the paper's exponent with the constant fixed at k_ref (its constant 1 would put sigma0 = varrho at "
        "k = 10, note 5.1); the paper's eta <= 1/poly(k) is what Lemma A.15's premise eta C_t A^(q-2) <= poly(G) needs, "
        "with C_t = Theta(1/(k varrho^(q-1))): eta proportional to k keeps eta C_t, and the per-sample rate eta/n, "
        "those of k_ref, so GD is as close to gradient flow at every rung; T = 300 k keeps T a fixed multiple of "
        "Claim A.7's T_0 = Theta~(k/(eta sigma0^(q-2))), which these choices make proportional to k; m, varrho (and "
        "so G = 1/ln^2 m) fixed, the degree-0 polylog, so that no polylog factor of the orders moves along the ladder "
        "and every growth of an implied constant comes from k itself; s grows like ln k so that s/k falls",
    provenance=Provenance(Origin.RECONSTRUCTED, "low", "the note gives the orders of the regime (section 1), "
                          "not the constants or which polylog"))

ORDER_READING = Reading(
    name="huang2022-k-ladder-orders",
    word="O~(x), O(1/polylog k), o(1), 'for every t <= T'",
    means="x = O~(f(k)) along the ladder: the implied constant C = x / f(k), per replica and rung, grows at most "
          "like a polylog: the least-squares slope of log C on log k (one intercept per replica) lies below the "
          "tolerance of reading huang2022-k-ladder-polylog (0.1 plus what a factor ln k adds to the slope on the "
          "ladder's own k: 0.65 on k = 4, 6, 10 (quick), 0.54 on 4, 8, 16, 32 (full)) with 95% confidence (FAIL when its interval lies above "
          "it). O~(sigma0) is "
          "read on the quantities in units of the rung's sigma0 (*_over_sigma0), O~(1/eta), O~(k/eta) and O~(s/k^2) "
          "with the rung's eta and s, O~(N_i/(eta sigma0^(q-2))) with the replica's N_i at the rung. O(1/polylog k) "
          "and o(1) are read as o(1): C = x must decay (slope below 0). The control claims one power of k more "
          "(order f(k)/k), which the data must reject for a PASS. 'For every t <= T' and the maxima over neurons "
          "and samples are those of the single-size results (huang2022-appendix-orders)",
    why="the paper's O~ hide polylog(k) factors of unstated degree and constants; the single-size results fix "
        "one constant (1/varrho = 10), the ladder fixes none and judges only the growth",
    provenance=Provenance(Origin.RECONSTRUCTED, "low", "the notes give the orders, not the constants"))

_DEGREE = sp.Symbol("polylog_degree")
POLYLOG_READING = Reading(
    name="huang2022-k-ladder-polylog",
    word="polylog(k) in O~(.)",
    means="one factor ln k: an implied constant may grow like (ln k)^1 along the ladder, a log-log slope of "
          "0.55 on k = 4, 6, 10 and 0.44 on 4, 8, 16, 32 (least squares of ln ln k on ln k over the rungs), plus the "
          "0.1 the engine allows any order; judged beside it: (ln k)^0.5 (the growth of maxima of poly(k) "
          "Gaussians, the source of most O~ factors in the proofs) and (ln k)^2",
    why="the paper's O~ hide polylog factors of unstated degree, and over a finite ladder every degree is some "
        "slope: the degree must be chosen, before the data, and shown beside its neighbours; the proofs' log "
        "factors come from union bounds over poly(k) Gaussians (sqrt(ln k)) and from log T = O(log k) steps (ln k)",
    provenance=Provenance(Origin.RECONSTRUCTED, "low", "the degree is ours; the paper states none"),
    symbol="polylog_degree", value=1.0,
    alternatives={"(ln k)^0.5": 0.5, "(ln k)^2": 2.0})

_SIZE_MEASURES = {
    "k_ladder": "the ladder's class counts k (k_ladder,)", "n_at_k": "training pairs n at each k",
    "d_at_k": "input dimension d at each k", "sigma0_at_k": "initialisation scale sigma0 at each k",
    "eta_at_k": "learning rate eta at each k", "steps_at_k": "GD iterations T at each k",
    "s_at_k": "off-target features per sample s at each k",
}


def _measures(names: tuple[str, ...]) -> dict[str, str]:
    """The single-size descriptions of ``names``, now one value per replica and rung, with the ladder's sizes."""
    own = {name: f"{_DYN_MEASURES[name]}; per replica and k (replica, k_ladder)" for name in names}
    return {**own, **_SIZE_MEASURES}


def _o(label: str, quantity: str | sp.Expr, order: sp.Expr = sp.S.One, notation: str = "O~") -> Order:
    """``quantity = notation(order)`` along ``k_ladder`` (readings huang2022-k-ladder-orders and -polylog)."""
    return Order(label, quantity=sp.Symbol(quantity) if isinstance(quantity, str) else quantity, order=order,
                 notation=notation, size=_k, polylog_degree=_DEGREE)


def _sweep(claim: Order) -> Sweep:
    """The implied constant of ``claim`` against k (median and 10-90% band over replicas), log-log."""
    return Sweep(x="k_ladder", measured=claim.quantity / claim.order, log=True, xlabel="k",
                 ylabel="implied constant C", title=f"{claim.label}: implied constant C = quantity / order against k")


def _ladder(node: Result, claims: tuple[Order, ...], names: tuple[str, ...], reading: str) -> Result:
    """The O~ statements of ``node`` along the ladder of k: same statement and source, one Order claim per
    statement, ``uses`` the node (its single-size verdict stays beside this one)."""
    return Result(
        id=f"{node.id}-k-ladder", kind=node.kind, number=f"{node.number} (along k)", title=f"{node.title}, along k",
        paper=PAPER, tag=node.tag, uses=(node.id,), assumes=node.assumes, statement=node.statement,
        reading=reading + " The O~ constants are judged by their trend along k (reading huang2022-k-ladder-orders); "
                          "the single-size result judges them at k = 10 with polylog(k) := 1/varrho.",
        readings=(SIZES_READING, ORDER_READING, POLYLOG_READING), parameters=_PARAMETERS, profiles=_PROFILES, replicas=_REPLICAS,
        check=_CHECK, assumptions=_REGIME, measures=_measures(names), claims=claims,
        plots=tuple(_sweep(claim) for claim in claims))


_S0 = "in units of sigma0"
_GAMMA_MAX = _o("(vii) Gamma_j <= O~(1)", "ih_gamma_max")
_OFFDIAG = _o(f"(viii) off-diagonal correlations <= O~(sigma0) ({_S0})", "ih_offdiag_max_over_sigma0")

INDUCTION_HYPOTHESIS_A_4_LADDER = _ladder(
    INDUCTION_HYPOTHESIS_A_4,
    (_o(f"(ii) non-feature pre-activations on Z_s <= O~(sigma0) ({_S0})", "ih_nonfeature_preact_over_sigma0"),
     _GAMMA_MAX, _OFFDIAG),
    ("ih_nonfeature_preact_over_sigma0", "ih_gamma_max", "ih_offdiag_max_over_sigma0"),
    "Items (ii), (vii) (upper side) and (viii) on the joint network, as at k = 10. Item (vi) is not laddered: its "
    "maximum runs over the insufficient pairs of Def A.2 losers, empty in some replicas at k = 4.")

INDUCTION_HYPOTHESIS_B_1_LADDER = _ladder(
    INDUCTION_HYPOTHESIS_B_1,
    (_o("(vi) Gamma_uni <= O~(1)", "uni_gamma_max"),
     _o(f"(vii) off-diagonal <= O~(sigma0) ({_S0})", "uni_offdiag_max_over_sigma0")),
    ("uni_gamma_max", "uni_offdiag_max_over_sigma0"),
    "Both uni-modal networks along the recorded trajectory: items (vi) (upper side) and (vii).")

FACT_A_5_LADDER = _ladder(
    FACT_A_5,
    (_o("joint encoders on Z_s: |F - approximation| = O(1/polylog k), read as o(1)", "fa5_train_dev_joint",
        notation="o"),
     _o("uni-modal networks: |F - approximation| = O(1/polylog k), read as o(1)", "fa5_train_dev_uni", notation="o")),
    ("fa5_train_dev_joint", "fa5_train_dev_uni"),
    "The deviation of every encoder from its Fact A.5 approximation on the training data, maximised over t, must "
    "decay along k (O(1/polylog k) is at least o(1); any decay passes, the weakest reading of the order).")

FACT_A_6_LADDER = _ladder(
    FACT_A_6,
    (_o("F_j(X) / (m ReLU~(Gamma_j/varrho) + (sigma0/varrho)^q) = O~(1)", "fa6_ratio_max"),),
    ("fa6_ratio_max",),
    "The single-size bound's O~(Gamma) := Gamma/varrho and O~(sigma0^q/varrho^(q-1)) := (sigma0/varrho)^q stay in "
    "the ratio; along k the ratio itself must not grow faster than a polylog (the O~'s polylog factors).")

CLAIM_A_8_LADDER = _ladder(
    CLAIM_A_8,
    (_o(f"(a) memorisation never drops by more than O~(sigma0) ({_S0})", "a8_memo_drop_over_sigma0"),
     _o(f"(b) <w_(j,l), eps> <= O~(sigma0) for j != y on Z_i ({_S0})", "a8_offclass_noise_over_sigma0")),
    ("a8_memo_drop_over_sigma0", "a8_offclass_noise_over_sigma0"),
    "(a) as at k = 10: the largest fall of a memorisation below its running maximum; (b) on Z_i.")

CLAIM_A_9_LADDER = _ladder(
    CLAIM_A_9,
    (_o("(a) memorisation sum <= O~(1)", "a9_memo_sum_max"),
     _o("(b) insufficient-data loss sum <= O~(N_i / (eta sigma0^(q-2))) (joint)", "a9_insuff_loss_sum_joint",
        sp.Symbol("n_insuff_joint") / (_eta * _sigma0 ** (q - 2)))),
    ("a9_memo_sum_max", "a9_insuff_loss_sum_joint", "n_insuff_joint"),
    "(b) on the joint network with the replica's N_i and the rung's eta and sigma0 (N_i/(eta sigma0^(q-2)) grows "
    "like k under the ladder's scaling). The uni-modal analogues are not laddered.")

CLAIM_A_10_LADDER = _ladder(
    CLAIM_A_10,
    (_o("the O~(1) of k e^(O~(1) - F_y): off-target outputs max_(j != y) F_j <= O~(1) on Z_s at T",
        "a10_offtarget_output_max"),
     _o("F_y = sum ReLU~(<w, M_y> z_y) +- o(1) on Z_s at T", "a10_target_approx_dev", notation="o")),
    ("a10_offtarget_output_max", "a10_target_approx_dev"),
    "The second inequality's O~(1) is what bounds the off-target outputs (sum_(j != y) e^(F_j) <= k e^(max F_j)), "
    "so it is laddered on max_(j != y) F_j over Z_s at T (the single-size result judges log(1 - logit_y) + F_y - "
    "log k, which can be negative and has no implied constant); the output form's o(1) must decay along k.")

CLAIM_A_11_LADDER = _ladder(
    CLAIM_A_11,
    (_o("sum_(t >= T_0) Psi_j <= O~(1/eta) (joint)", "a11_psi_stage2_max_joint", 1 / _eta),
     _o("sum_(t >= T_0) E_(Z_s)[1 - logit_y] <= O~(k/eta) (joint)", "a11_loss_stage2_joint", _k / _eta)),
    ("a11_psi_stage2_max_joint", "a11_loss_stage2_joint", "T0_joint"),
    "The joint network, with the rung's eta (1/eta falls like 1/k under the ladder's scaling; k/eta is constant). "
    "The uni-modal analogues are not laddered: a uni-modal class never learned leaves T_0 undefined, more often "
    "as k grows.")

CLAIM_A_12_LADDER = _ladder(
    CLAIM_A_12,
    (_o("1) sum_(t=T_j)^(T_0) Psi_j <= O~(1/eta)", "a12_psi_stage1_max", 1 / _eta),
     _o("2) off-target gradient mass <= O~(s/k^2)", "a12_offtarget_mass_max", _s / _k ** 2)),
    ("a12_psi_stage1_max", "a12_offtarget_mass_max", "T0_joint"),
    "Joint network, with the rung's eta and s.")

LEMMA_A_13_LADDER = _ladder(
    LEMMA_A_13, (_o("Phi_j <= O~(1)", "a13_phi_max"),), ("a13_phi_max",),
    "The maximum over recorded t and classes of Phi_j (2m = 16 neurons per class at every k).")

LEMMA_A_16_LADDER = _ladder(
    LEMMA_A_16,
    (_o("gradient sum along M_j <= O~(1)", "a16_grad_sum_max"), _o("Gamma_j <= O~(1)", "ih_gamma_max")),
    ("a16_grad_sum_max", "ih_gamma_max"),
    "The exact gradient sum of the joint network, as at k = 10.")

LEMMA_A_17_LADDER = _ladder(
    LEMMA_A_17,
    (_o(f"-<w_(j,l), M_j> <= O~(sigma0) ({_S0})", -sp.Symbol("a17_diag_min_over_sigma0")),),
    ("a17_diag_min_over_sigma0",),
    "<w, M_j> >= -O~(sigma0) is laddered on its negative part: minus the minimum over t and neurons of "
    "<w_(j,l), M_j> / sigma0 (positive: the Gaussian initialisation alone makes it so).")

LEMMA_A_18_LADDER = _ladder(
    LEMMA_A_18, (_o(f"off-diagonal correlations <= O~(sigma0) ({_S0})", "ih_offdiag_max_over_sigma0"),),
    ("ih_offdiag_max_over_sigma0",), "Maximum over recorded t, both modalities and every off-diagonal pair.")

LEMMA_A_19_LADDER = _ladder(
    LEMMA_A_19,
    (_o(f"Z_s: |<w, eps>| <= O~(sigma0) ({_S0})", "a19_noise_suff_over_sigma0"),
     _o(f"fresh data at T: |<w, eps>| <= O~(sigma0) ({_S0})", "a19_noise_test_over_sigma0"),
     _o(f"Z_i, j != y or x^r sufficient: <w, eps> <= O~(sigma0) ({_S0})", "a19_noise_upper_over_sigma0"),
     _o("Z_i, j = y, x^r insufficient: <w, eps> <= O~(1)", "a19_memo_max"),
     _o(f"Z_i, j = y, x^r insufficient: -<w, eps> <= O~(sigma0) ({_S0})", "a19_memo_neg_over_sigma0")),
    ("a19_noise_suff_over_sigma0", "a19_noise_test_over_sigma0", "a19_noise_upper_over_sigma0", "a19_memo_max",
     "a19_memo_neg_over_sigma0"),
    "Every bullet as at k = 10 (exact projections on the noise); fresh test data at T.")

THEOREM_A_20_LADDER = _ladder(
    THEOREM_A_20,
    (_o(f"base case: |<w^(0), x^r>| <= O~(sigma0) ({_S0})", "init_preact_max_over_sigma0"), _GAMMA_MAX, _OFFDIAG),
    ("init_preact_max_over_sigma0", "ih_gamma_max", "ih_offdiag_max_over_sigma0"),
    "The base case (Eq. 13) and the inductive step's O~ conclusions (vii) upper side and (viii).")

RESULTS = [INDUCTION_HYPOTHESIS_A_4_LADDER, INDUCTION_HYPOTHESIS_B_1_LADDER, FACT_A_5_LADDER, FACT_A_6_LADDER,
           CLAIM_A_8_LADDER, CLAIM_A_9_LADDER, CLAIM_A_10_LADDER, CLAIM_A_11_LADDER, CLAIM_A_12_LADDER,
           LEMMA_A_13_LADDER, LEMMA_A_16_LADDER, LEMMA_A_17_LADDER, LEMMA_A_18_LADDER, LEMMA_A_19_LADDER,
           THEOREM_A_20_LADDER]
