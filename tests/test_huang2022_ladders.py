"""huang2022's appendix O~ statements along a ladder of k (issue 19): the ladder check at tiny sizes (declared
shapes, sizes scaled as declared, each rung the shared training at that rung), the Order claims of the specs
on synthetic ladders of known slope, and the specs in the registry and ``verify list``."""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checks import modality_competition as mc  # noqa: E402
from checks import modality_competition_ladder as mcl  # noqa: E402
from verifier.judging import symbolic  # noqa: E402
from verifier.judging.evaluate import judge_empirical  # noqa: E402

# a tiny reference instance at k_ref = 4, laddered over k = 3, 4, 5
TINY = {**mc.REFERENCE_PARAMS, "k": 4, "m": 2, "s": 1, "d": 16, "n": 12, "n_test": 7, "sigma0": 0.01, "eta": 0.5,
        "steps": 20, "record_every": 4, "k_min": 3, "k_max": 5, "ladder_points": 3}
SEEDS = [5, 6]
LADDER_IDS = {f"huang2022/{slug}-k-ladder" for slug in (
    "induction-hypothesis-a.4", "induction-hypothesis-b.1", "fact-a.5", "fact-a.6", "claim-a.8", "claim-a.9",
    "claim-a.10", "claim-a.11", "claim-a.12", "lemma-a.13", "lemma-a.16", "lemma-a.17", "lemma-a.18", "lemma-a.19",
    "theorem-a.20")}


@pytest.fixture(scope="module")
def tiny_ladder() -> dict[str, np.ndarray]:
    return mcl.modality_competition_ladder(TINY, len(SEEDS), SEEDS, "cpu")


def test_the_check_returns_its_declared_shapes(tiny_ladder) -> None:
    declared = mcl.modality_competition_ladder.shapes
    assert set(tiny_ladder) == set(declared)
    for name, axes in declared.items():
        expected = tuple(len(SEEDS) if axis == "replica" else 3 for axis in axes)
        assert tiny_ladder[name].shape == expected, name
    assert tiny_ladder["k_ladder"].tolist() == [3.0, 4.0, 5.0]


def test_each_rung_is_the_shared_training_at_that_rungs_sizes(tiny_ladder) -> None:
    rung = mcl.ladder_params(TINY, 5)
    direct = mc.joint_vs_unimodal(rung, len(SEEDS), SEEDS, "cpu")
    for key in ("a13_phi_max", "ih_offdiag_max_over_sigma0", "a9_insuff_loss_sum_joint"):
        np.testing.assert_allclose(tiny_ladder[key][:, 2], direct[key])
    assert [tiny_ladder[name][2] for name in mcl.SIZE_KEYS] == [rung[key] for key in mcl.SIZE_KEYS.values()]


def test_sizes_scale_with_k_as_declared() -> None:
    params = {**mc.REFERENCE_PARAMS, "m": 8}                      # the single-size instance, k_ref = 10
    assert {key: mcl.ladder_params(params, 10)[key] for key in mc.REQUIRED_PARAMS} == \
        {key: params[key] for key in mc.REQUIRED_PARAMS}          # the reference rung is the instance itself
    doubled = mcl.ladder_params(params, 20)
    assert (doubled["n"], doubled["d"], doubled["steps"], doubled["record_every"]) == (200, 800, 6000, 20)
    assert doubled["eta"] == pytest.approx(4.0)                  # eta / k fixed (Lemma A.15's premise)
    assert doubled["sigma0"] == pytest.approx(0.5e-4)            # sigma0^(q-2) = 1/k at q = 3
    assert doubled["s"] == round(3 * math.log(20) / math.log(10)) == 4
    assert mcl.ladder_params({**params, "q": 4}, 40)["sigma0"] == pytest.approx(1e-4 / 2)  # (k_ref/k)^(1/(q-2))
    assert mcl.ladder_ks(4, 10, 3) == [4, 6, 10] and mcl.ladder_ks(4, 32, 4) == [4, 8, 16, 32]
    with pytest.raises(ValueError, match="repeat a k"):
        mcl.ladder_ks(4, 5, 4)
    with pytest.raises(ValueError, match="k_min"):
        mcl.ladder_ks(2, 10, 3)


def _synthetic(power: float, ks: list[int], replicas: int = 8) -> dict[str, np.ndarray]:
    """Every quantity = 3 k^power with 5% replica noise, on a (replica, k_ladder) grid, and the quick sizes."""
    noise = np.random.default_rng(4).normal(1.0, 0.05, (replicas, len(ks)))
    k = np.array(ks, dtype=float)
    data = {key: 3.0 * k ** power * noise for key in mcl.LADDER_KEYS}
    data["a17_diag_min_over_sigma0"] = -data["a17_diag_min_over_sigma0"]
    data["k_ladder"] = k
    params = {**mc.REFERENCE_PARAMS, "m": 8}
    rungs = [mcl.ladder_params(params, kk) for kk in ks]
    data.update({name: np.array([rung[key] for rung in rungs], dtype=float) for name, key in mcl.SIZE_KEYS.items()})
    return data


@pytest.fixture(scope="module")
def registry():
    from verifier.running import registry as reg

    return reg.load(autoload=False)


@pytest.mark.parametrize("power, degree, verdict", [(0.0, 1.0, "PASS"), (0.15, 1.0, "PASS"), (1.0, 1.0, "FAIL"),
                                                   (0.4, 1.0, "PASS"), (0.4, 0.0, "FAIL"), (0.7, 1.0, "FAIL"),
                                                   (0.7, 2.0, "PASS")])
def test_an_o_tilde_constant_is_judged_by_its_slope(registry, power: float, degree: float, verdict: str) -> None:
    """On k = 4, 8, 16, 32 one factor ln k adds a slope of 0.44: the tolerance is 0.1 + 0.44 x the reading's
    polylog degree (0.54 at degree 1, 0.1 at 0, 0.98 at 2)."""
    result = registry.results["huang2022/lemma-a.18-k-ladder"]
    assert any(r.symbol == "polylog_degree" and r.value == 1.0 for r in result.readings)
    claim = result.claims[0]                                                            # off-diagonal / sigma0 = O~(1) along k
    outcome = judge_empirical(claim, {"q": 3, "polylog_degree": degree}, _synthetic(power, [4, 8, 16, 32]), 0.05, 8)
    assert outcome.verdict == verdict
    assert outcome.estimate == pytest.approx(power, abs=0.05)
    if verdict == "PASS":
        assert outcome.control["rejected"]                        # one power of k more is rejected by the same data


def test_orders_that_move_with_k_use_the_rungs_sizes(registry) -> None:
    def claim(slug: str, index: int = 0):
        return registry.results[f"huang2022/{slug}-k-ladder"].claims[index]

    data = _synthetic(-1.0, [4, 6, 10])                           # every quantity falls like 1/k
    psi = judge_empirical(claim("claim-a.11"), {"q": 3, "polylog_degree": 1.0}, data, 0.05, 8)
    assert psi.verdict == "PASS" and psi.estimate == pytest.approx(0.0, abs=0.05)  # O~(1/eta), eta = 0.2 k
    flat_loss = judge_empirical(claim("claim-a.11", 1), {"q": 3, "polylog_degree": 1.0}, data, 0.05, 8)
    assert flat_loss.estimate == pytest.approx(-1.0, abs=0.05)   # O~(k/eta) is constant along the ladder
    mass = judge_empirical(claim("claim-a.12", 1), {"q": 3, "polylog_degree": 1.0}, data, 0.05, 8)
    s = data["s_at_k"]                                            # O~(s/k^2): C = 3 k^-1 / (s k^-2) = 3 k / s
    assert mass.estimate == pytest.approx(np.polyfit(np.log([4, 6, 10]), np.log(np.array([4, 6, 10]) / s), 1)[0],
                                          abs=0.05)
    vanishing = judge_empirical(claim("fact-a.5"), {"q": 3, "polylog_degree": 1.0}, _synthetic(-0.5, [4, 6, 10]), 0.05, 8)
    assert vanishing.verdict == "PASS"                            # o(1): decays (and not like o(1/k))
    flat = judge_empirical(claim("fact-a.5"), {"q": 3, "polylog_degree": 1.0}, _synthetic(0.0, [4, 6, 10]), 0.05, 8)
    assert flat.verdict != "PASS"


def test_the_ladder_specs_register_and_link_to_their_nodes(registry) -> None:
    assert [p for p in registry.problems if "ladder" in str(p)] == []
    ids = {rid for rid in registry.results if rid.endswith("-k-ladder") and rid.startswith("huang2022/")}
    assert ids == LADDER_IDS
    for rid in ids:
        result = registry.results[rid]
        node = registry.results[rid.removesuffix("-k-ladder")]
        assert result.uses == (node.id,) and result.statement == node.statement and result.source == node.source
        assert result.check == "checks.modality_competition_ladder:modality_competition_ladder"
        assert len(result.plots) == len(result.claims) and all(c.size is not None for c in result.claims)
        for profile in ("quick", "full"):                         # the ladder stays inside the stated regime
            params = result.parameter_values(profile)
            assert symbolic.check_assumptions(result.assumptions, params) == []
            ks = mcl.ladder_ks(params["k_min"], params["k_max"], params["ladder_points"])
            assert all(mcl.ladder_params(params, k)["s"] <= k - 2 for k in ks)  # every rung is a valid training
    assert registry.results["huang2022/lemma-a.13-k-ladder"].source.label == "RECONSTRUCTED (R-low)"


def test_verify_list_shows_the_ladders(capsys) -> None:
    from verifier.interfaces.cli import main

    assert main(["list", "--no-autoload"]) == 0
    out = capsys.readouterr().out
    assert all(rid in out for rid in LADDER_IDS)
