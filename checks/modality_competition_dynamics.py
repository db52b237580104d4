"""The training dynamics of huang2022's appendices A and B, recorded inside the training loop
(Induction Hypotheses A.4 / B.1, Facts A.5-A.6, Claims A.7-A.12, Lemmas A.13-A.19). Used by the check
in :mod:`checks.modality_competition`."""

from __future__ import annotations

import math

import torch

from checks.modality_competition_model import _Batch, _Config, _scores, smoothed_relu
from checks.modality_competition_training import _Tracker, _Trainer


def _masked_max(x: torch.Tensor, mask: torch.Tensor, dims: tuple[int, ...]) -> torch.Tensor:
    """Max of ``x`` over ``dims`` where ``mask`` holds (``-inf`` where it never does)."""
    return torch.where(mask, x, -math.inf).amax(dim=dims)


class _Dynamics:
    """Per-step and per-recorded-step measurements of the appendix statements (joint network, and the
    uni-modal networks for Induction Hypothesis B.1 and the uni-modal analogues).

    Everything is a projection of the weights that the exact representation makes cheap:
    ``C = <w_{j,l}, M_{j'}>`` (:meth:`_Trainer.feature_corr`) and, since ``x = M z + eps`` exactly with
    ``M = I[:, :k]``, the noise correlation ``<w_{j,l}, eps_i> = P - C z_i``. Logit quantities come
    from the outputs the training step computes anyway. Masks follow the note's names: ``Z_s`` pairs
    with both modalities sufficient, ``Z_i`` the others; ``S^r(X) = {j: z^r_j > 0}``; a neuron ``(j, l)``
    is "own" on a sample of label ``j``.
    """

    def __init__(self, b: _Batch, cfg: _Config, tr: _Trainer, init_win: torch.Tensor):
        R, k, m, n = b.x.shape[0], cfg.k, cfg.m, cfg.n
        km = k * m
        dev, dt = b.x.device, b.x.dtype
        self.cfg, self.tr, self.R = cfg, tr, R
        cls = tr.neuron_class
        self.cls = cls
        self.y = b.y
        self.onehot = tr.onehot.squeeze(1)                                    # (R, k, n)
        self.label_index = b.y.view(R, 1, 1, n).expand(R, 3, 1, n)            # gathers logit_y of 3 networks
        self.zT = b.z.transpose(-1, -2).unsqueeze(2)                          # (R, 2, 1, k, n)
        z_own = b.z.transpose(-1, -2).index_select(2, cls)                     # (R, 2, km, n): z^r_i[class]
        self.z_own = z_own
        self.own = (cls.view(1, km, 1) == b.y.unsqueeze(1)).unsqueeze(1)       # (R, 1, km, n)
        zs = ~(b.insuff[:, 0] | b.insuff[:, 1])                                # (R, n): Z_s
        self.zs = zs.view(R, 1, 1, n)
        self.zi = ~self.zs
        self.ins_r = b.insuff.view(R, 2, 1, n)
        self.present = z_own > 0                                               # j in S^r(X_i)
        rr = torch.arange(2, device=dev)
        loser = init_win.unsqueeze(1) == (1 - rr).view(1, 2, 1)                 # (R, 2, k): r loses class j
        self.loser = loser.index_select(2, cls).unsqueeze(-1)                  # (R, 2, km, 1)
        # the recorded steps' masks, combined once: (R, 2, km, n), or (R, 1, km, n) without a modality
        self.mask_nonfeature = (self.zs & ~self.present).contiguous()          # IH A.4 (ii)
        self.mask_loser = (self.zi & self.own & self.loser).contiguous()       # IH A.4 (vi)
        self.mask_feature = (self.zs & self.present).contiguous()              # IH A.4 (i)
        self.mask_noise_upper = (self.zi & (~self.own | ~self.ins_r)).contiguous()
        self.mask_memo = (self.zi & self.own & self.ins_r).contiguous()
        self.mask_offclass = (self.zi & ~self.own).contiguous()
        self.mask_own_zi = (self.zi & self.own).contiguous()
        self.feat_own = torch.nn.functional.one_hot(cls, k).bool()             # (km, k)
        # sufficiency per network (joint: Z_s, uni r: x^r sufficient), (R, 3, n)
        self.suff_net = torch.stack((zs, ~b.insuff[:, 0], ~b.insuff[:, 1]), dim=1)
        self.n_suff_net = self.suff_net.sum(-1).to(dt)
        # Fact A.5 masks per encoder (R, r, a, 1, n): kind 0 over Z_s, kind 1 over x^r sufficient
        self.suff_enc = torch.stack((zs.view(R, 1, n).expand(R, 2, n), ~b.insuff), dim=2).unsqueeze(3)
        # off-target presence for Claim A.12 (2): (R, 2, k, n), j in S^r(X_i) and j != y_i
        self.off_present = ((b.z > 0).transpose(-1, -2) & ~self.onehot.bool().unsqueeze(1)).to(dt)
        self.onehot_nk = self.onehot.transpose(1, 2).contiguous()             # (R, n, k)
        self.suff_dt = self.suff_net.to(dt)
        self.any_before_t0 = True
        self.init_win = init_win
        z = lambda *shape: torch.zeros(*shape, device=dev, dtype=dt)  # noqa: E731
        ninf = lambda *shape: torch.full(shape, -math.inf, device=dev, dtype=dt)  # noqa: E731
        # every-step accumulators
        self.psi_cum = z(R, 3, k)
        self.psi_stage1 = z(R, 3, k)
        self.psi_stage2 = z(R, 3, k)
        self.loss_stage2 = z(R, 3)
        self.insuff_loss = z(R, 3)
        # sum_t -eta dL/dP (= A in the coefficient representation; accumulated for explicit weights)
        self.grad_sum = None if tr.rep == "coef" else z(R, 4, km, n)
        self.offmass_max = z(R)
        self.prev_all = torch.zeros(R, 3, dtype=torch.bool, device=dev)
        self.T0 = torch.full((R, 3), math.inf, device=dev, dtype=dt)
        self.t_cross_uni = torch.full((R, 2, k), math.inf, device=dev, dtype=dt)
        self.gamma0 = None
        self.gamma_cross = torch.full((R, 2, k), math.nan, device=dev, dtype=dt)
        self.gamma_runmax = z(R, 2, k)
        self.flipped = torch.zeros(R, k, dtype=torch.bool, device=dev)
        # recorded-step maxima (over t), (R,) unless said
        self.m = {name: ninf(R) for name in (
            "ih_nonfeature", "ih_loser_preact", "ih_feature_resid", "ih_offdiag", "uni_offdiag",
            "noise_suff", "noise_upper", "memo_max", "memo_neg", "offclass_noise", "memo_drop",
            "memo_sum", "fa5_joint", "fa5_uni", "fa6_ratio", "fa6_small", "phi_max", "gamma_max",
            "uni_gamma_max")}
        self.m["gamma_min"] = torch.full((R,), math.inf, device=dev, dtype=dt)
        self.m["uni_gamma_min"] = torch.full((R,), math.inf, device=dev, dtype=dt)
        self.m["diag_min"] = torch.full((R,), math.inf, device=dev, dtype=dt)
        self.memo_runmax = None
        self.traj: dict[str, list[torch.Tensor]] = {}
        self.final: dict[str, torch.Tensor] = {}

    # -- every step -------------------------------------------------------------------------------
    def step(self, t: int, grad: torch.Tensor, prob: torch.Tensor, gamma: torch.Tensor,
             t_cross_joint: torch.Tensor) -> None:
        """Every step: ``prob`` is the softmax of the three networks ``(R, 3, k, n)``."""
        cfg = self.cfg
        miss = 1.0 - prob.gather(2, self.label_index).squeeze(2)               # (R, 3, n): 1 - logit_y
        suff = self.suff_dt
        miss_s = miss * suff
        psi = torch.bmm(miss_s, self.onehot_nk) / cfg.n                        # (R, 3, k)
        self.psi_cum += psi
        self.insuff_loss += (miss.sum(-1) - miss_s.sum(-1)) / cfg.n
        # crossings: the joint network's from the tracker, the uni-modal ones here
        uni = gamma[:, :, 1]                                                   # (R, 2, k)
        self.t_cross_uni = torch.where((uni >= cfg.rho) & torch.isinf(self.t_cross_uni),
                                       float(t), self.t_cross_uni)
        crossed = torch.cat((torch.isfinite(t_cross_joint).unsqueeze(1), torch.isfinite(self.t_cross_uni)), 1)
        all_now = crossed.all(-1)                                              # (R, 3)
        before_t0 = ~self.prev_all                                             # t <= T_0
        stage1 = crossed & before_t0.unsqueeze(-1)
        self.psi_stage1 += psi * stage1.to(psi.dtype)
        self.psi_stage2 += psi * all_now.unsqueeze(-1).to(psi.dtype)
        mean_suff = miss_s.sum(-1) / self.n_suff_net.clamp(min=1)
        self.loss_stage2 += mean_suff * all_now.to(psi.dtype)
        self.T0 = torch.where(all_now & before_t0, float(t), self.T0)
        # Claim A.12 (2): (1/n) sum_{y = j'} logit_j 1{j in S^r(X)}, max over r, j != j', while t <= T_0
        if self.any_before_t0:
            pj = prob[:, 0].unsqueeze(1) * self.off_present                    # (R, 2, k, n)
            mass = (pj @ self.onehot_nk.unsqueeze(1)).amax(dim=(1, 2, 3)) / cfg.n
            self.offmass_max = torch.where(before_t0[:, 0], torch.maximum(self.offmass_max, mass), self.offmass_max)
            if t % 50 == 0:  # a host sync now and then, to stop once every replica has passed T_0
                self.any_before_t0 = bool((~all_now[:, 0]).any())
        self.prev_all = all_now
        # Lemma A.16 needs sum_t -eta grad: that is A itself in the coefficient representation
        if self.grad_sum is not None and t < cfg.steps:  # the gradient at T is never applied
            self.grad_sum.add_(grad, alpha=-cfg.eta)
        # Lemma A.14: both modalities' Gamma at T_j, running maxima, and whether the Def A.2 winner ever
        # falls behind after T_j
        joint = gamma[:, :, 0]                                                 # (R, 2, k)
        if self.gamma0 is None:
            self.gamma0 = joint.clone()
        new = (t_cross_joint == t).unsqueeze(1)
        self.gamma_cross = torch.where(new, joint, self.gamma_cross)
        self.gamma_runmax = torch.maximum(self.gamma_runmax, joint)
        w = self.init_win.clamp(min=0).unsqueeze(1)
        g_w = joint.gather(1, w).squeeze(1)
        g_l = joint.gather(1, 1 - w).squeeze(1)
        after = torch.isfinite(t_cross_joint) & (t_cross_joint <= t)
        self.flipped |= after & (self.init_win >= 0) & (g_w < g_l)

    # -- recorded steps ---------------------------------------------------------------------------
    def record(self, t: int, p: torch.Tensor, out: torch.Tensor, gamma: torch.Tensor, enc: torch.Tensor) -> None:
        """At a recorded step: ``p`` the pre-activations ``(R, 4, km, n)``, ``out`` the network outputs,
        ``gamma`` the feature correlations, ``enc`` the encoder outputs ``(R, 4, k, n)`` on the training set."""
        cfg, R, M = self.cfg, self.R, self.m
        k, m, n = cfg.k, cfg.m, cfg.n
        s0 = cfg.sigma0
        corr = self.tr.feature_corr()                                          # (R, 2, 2, km, k)
        diag = corr.gather(-1, self.cls.view(1, 1, 1, -1, 1).expand(*corr.shape[:4], 1)).squeeze(-1)
        off = corr.masked_fill(self.feat_own, -math.inf).amax(dim=(-1, -2))    # (R, 2, 2)
        P = p.view(R, 2, 2, -1, n)
        N = P - corr @ self.zT                                                 # <w, eps_i>
        Pj, Nj, dj = P[:, :, 0], N[:, :, 0], diag[:, :, 0]                     # joint encoders
        all_dims = (1, 2, 3)
        upd = lambda key, val: M.__setitem__(key, torch.maximum(M[key], val))  # noqa: E731
        low = lambda key, val: M.__setitem__(key, torch.minimum(M[key], val))  # noqa: E731
        # Induction Hypothesis A.4
        nonfeature = _masked_max(Pj.abs(), self.mask_nonfeature, all_dims)
        upd("ih_nonfeature", nonfeature)                                                          # (ii)
        upd("ih_loser_preact", _masked_max(Pj, self.mask_loser, all_dims))     # (vi)
        upd("ih_feature_resid", _masked_max((Pj - dj.unsqueeze(-1) * self.z_own).abs(),
                                            self.mask_feature, all_dims))                # (i)
        upd("ih_offdiag", off[:, :, 0].amax(1))                                                 # (viii)
        upd("uni_offdiag", off[:, :, 1].amax(1))
        g_joint = gamma[:, :, 0].amax(1)                                       # Gamma_j = max_r Gamma_{j,r}
        low("gamma_min", g_joint.amin(-1))
        upd("gamma_max", g_joint.amax(-1))
        low("uni_gamma_min", gamma[:, :, 1].amin(dim=(1, 2)))
        upd("uni_gamma_max", gamma[:, :, 1].amax(dim=(1, 2)))
        low("diag_min", dj.amin(dim=(1, 2)))
        if t == 0:
            self.final["init_preact"] = Pj.abs().amax(dim=all_dims)
        # Lemma A.19 / Claim A.8 / Claim A.9 (a): noise correlations on the training data
        noise_suff = _masked_max(Nj.abs(), self.zs, all_dims)
        upd("noise_suff", noise_suff)
        noise_upper = _masked_max(Nj, self.mask_noise_upper, all_dims)
        upd("noise_upper", noise_upper)
        upd("memo_max", _masked_max(Nj, self.mask_memo, all_dims))
        upd("memo_neg", _masked_max(-Nj, self.mask_memo, all_dims))
        upd("offclass_noise", _masked_max(Nj, self.mask_offclass, all_dims))
        self.memo_runmax = Nj.clone() if self.memo_runmax is None else torch.maximum(self.memo_runmax, Nj)
        upd("memo_drop", _masked_max(self.memo_runmax - Nj, self.mask_own_zi, all_dims))
        memo = Nj.clamp(min=0).unflatten(2, (k, m)).sum(3)                     # (R, 2, k, n)
        memo_y = memo.gather(2, self.y.view(R, 1, 1, n).expand(R, 2, 1, n)).squeeze(2)
        memo_zi = _masked_max(memo_y, self.zi.view(R, 1, n), (1, 2))
        upd("memo_sum", memo_zi)
        # Fact A.5 on the training data (every encoder)
        f_enc = enc.view(R, 2, 2, k, n)
        approx = _scores(smoothed_relu(diag.unsqueeze(-1) * self.z_own.unsqueeze(2), cfg.rho, cfg.q)[0], k, m)
        dev5 = _masked_max((f_enc - approx).abs(), self.suff_enc, (1, 3, 4))   # (R, 2 kinds)
        upd("fa5_joint", dev5[:, 0])
        upd("fa5_uni", dev5[:, 1])
        # Fact A.6 (joint network)
        f = out[:, 0]                                                          # (R, k, n)
        bound = m * smoothed_relu(g_joint / cfg.rho, cfg.rho, cfg.q)[0] + (s0 / cfg.rho) ** cfg.q
        upd("fa6_ratio", (f / bound.unsqueeze(-1)).amax(dim=(1, 2)))
        small = (g_joint <= cfg.rho ** 2).unsqueeze(-1).expand_as(f)
        upd("fa6_small", _masked_max(f, small, (1, 2)))
        # Lemma A.13
        phi = dj.clamp(min=0).unflatten(-1, (k, m)).sum(dim=(1, 3))            # (R, k)
        upd("phi_max", phi.amax(-1))
        # trajectories (float32, kept with the run for plots)
        for key, val in (("gamma_uni_traj", gamma[:, :, 1].transpose(1, 2)), ("offdiag_traj", off[:, :, 0]),
                         ("diag_min_traj", dj.amin(-1)), ("phi_traj", phi),
                         ("noise_suff_traj", noise_suff),
                         ("memo_traj", memo_zi), ("psi_cum_traj", self.psi_cum[:, 0]),
                         ("ih_offdiag_traj", off[:, :, 0].amax(1) / s0), ("ih_nonfeature_traj", nonfeature / s0),
                         ("noise_upper_traj", noise_upper / s0)):
            self.traj.setdefault(key, []).append(val.to(torch.float32, copy=True))  # psi_cum is updated in place
        if t == cfg.steps:
            self._final_train(out, dj)

    def _final_train(self, out: torch.Tensor, dj: torch.Tensor) -> None:
        """Claim A.10 at ``T`` on the sufficient training pairs (joint network)."""
        cfg, R, n = self.cfg, self.R, self.cfg.n
        f = out[:, 0]                                                          # (R, k, n)
        own = self.onehot.bool()
        f_y = (f * self.onehot).sum(1)                                         # (R, n)
        others = f.masked_fill(own, -math.inf)
        zs = self.zs.view(R, n)
        self.final["a10_offtarget"] = _masked_max(others.amax(1), zs, (1,))
        gap = torch.logsumexp(others, 1) - torch.logsumexp(f, 1) + f_y - math.log(cfg.k)
        self.final["a10_gap"] = _masked_max(gap, zs, (1,))
        pre = dj.unsqueeze(-1) * self.z_own                                    # (R, 2, km, n)
        target = (smoothed_relu(pre, cfg.rho, cfg.q)[0] * self.own).sum(dim=(1, 2))   # sum_{r, l} at j = y
        self.final["a10_target_dev"] = _masked_max((f_y - target).abs(), zs, (1,))

    def test_measures(self, b: _Batch, chunk: int = 0) -> dict[str, torch.Tensor]:
        """Fresh test data at ``T``: Lemma A.19 (noise correlation) and Fact A.5 (fraction of
        ``(X, j, r)`` where the approximation is off by more than ``rho``), in replica chunks."""
        cfg, R, k, m = self.cfg, self.R, self.cfg.k, self.cfg.m
        corr = self.tr.feature_corr()
        diag = corr.gather(-1, self.cls.view(1, 1, 1, -1, 1).expand(*corr.shape[:4], 1)).squeeze(-1)
        budget = 1 << (24 if corr.device.type == "cpu" else 27)                # elements per chunk
        per = max(1, budget // max(1, 4 * k * m * cfg.n_test)) if chunk <= 0 else chunk
        noise, fail = [], []
        for lo in range(0, R, per):
            rows = slice(lo, min(R, lo + per))
            p = self.tr.test_preact(rows).view(-1, 2, 2, k * m, cfg.n_test)
            zt = b.zt[rows]
            n_t = p - corr[rows] @ zt.transpose(-1, -2).unsqueeze(2)
            noise.append(n_t[:, :, 0].abs().amax(dim=(1, 2, 3)))
            z_own = zt.transpose(-1, -2).index_select(2, self.cls).unsqueeze(2)   # (R', 2, 1, km, nt)
            f_enc = _scores(smoothed_relu(p, cfg.rho, cfg.q)[0], k, m)
            approx = _scores(smoothed_relu(diag[rows].unsqueeze(-1) * z_own, cfg.rho, cfg.q)[0], k, m)
            fail.append(((f_enc - approx).abs() > cfg.rho).to(torch.float64).mean(dim=(1, 3, 4)))
        fail_t = torch.cat(fail)
        return {"noise_test": torch.cat(noise), "fa5_test_fail_joint": fail_t[:, 0],
                "fa5_test_fail_uni": fail_t[:, 1]}

    # -- outputs ----------------------------------------------------------------------------------
    def outputs(self, b: _Batch, track: _Tracker, gamma_T: torch.Tensor) -> dict[str, torch.Tensor]:
        cfg, M, s0 = self.cfg, self.m, self.cfg.sigma0
        G = 1.0 / math.log(cfg.m) ** 2
        growth = ((1.0 + G) / G) ** (1.0 / (cfg.q - 2))
        test = self.test_measures(b)
        # Lemma A.16: sum_t eta (1/n) sum_{y = j} (1 - logit_j) ReLU~'(<w_{j,l}, x^r>) z^r_j per neuron, i.e.
        # sum_i A[jl, i] z^r_i[j] over the samples of the neuron's own class (A = sum_t -eta dL/dP)
        coef = self.tr.state if self.grad_sum is None else self.grad_sum
        a16 = (coef.view(self.R, 2, 2, -1, cfg.n) * (self.z_own * self.own).unsqueeze(2)).sum(-1)
        n_zi = self.zi.view(self.R, -1).sum(-1).to(self.psi_cum.dtype)
        res = {
            "ih_gamma_min_over_sigma0": M["gamma_min"] / s0, "ih_gamma_max": M["gamma_max"],
            "ih_offdiag_max_over_sigma0": M["ih_offdiag"] / s0,
            "ih_nonfeature_preact_over_sigma0": M["ih_nonfeature"] / s0,
            "ih_loser_preact_over_sigma0": M["ih_loser_preact"] / s0,
            "ih_feature_resid_over_sigma0": M["ih_feature_resid"] / s0,
            "init_preact_max_over_sigma0": self.final["init_preact"] / s0,
            "uni_gamma_min_over_sigma0": M["uni_gamma_min"] / s0, "uni_gamma_max": M["uni_gamma_max"],
            "uni_offdiag_max_over_sigma0": M["uni_offdiag"] / s0,
            "fa5_train_dev_joint": M["fa5_joint"], "fa5_train_dev_uni": M["fa5_uni"],
            "fa5_test_fail_joint": test["fa5_test_fail_joint"], "fa5_test_fail_uni": test["fa5_test_fail_uni"],
            "fa6_ratio_max": M["fa6_ratio"], "fa6_small_gamma_output_max": M["fa6_small"],
            "a8_memo_drop_over_sigma0": M["memo_drop"] / s0, "a8_offclass_noise_over_sigma0": M["offclass_noise"] / s0,
            "a9_memo_sum_max": M["memo_sum"],
            "a9_insuff_loss_sum_joint": self.insuff_loss[:, 0], "a9_insuff_loss_sum_uni1": self.insuff_loss[:, 1],
            "a9_insuff_loss_sum_uni2": self.insuff_loss[:, 2],
            "n_insuff_joint": n_zi, "n_insuff_uni1": b.insuff[:, 0].sum(-1).to(n_zi.dtype),
            "n_insuff_uni2": b.insuff[:, 1].sum(-1).to(n_zi.dtype),
            "a10_offtarget_output_max": self.final["a10_offtarget"], "a10_logit_gap_max": self.final["a10_gap"],
            "a10_target_approx_dev": self.final["a10_target_dev"],
            "a11_psi_stage2_max_joint": self.psi_stage2[:, 0].amax(-1),
            "a11_psi_stage2_max_uni1": self.psi_stage2[:, 1].amax(-1),
            "a11_psi_stage2_max_uni2": self.psi_stage2[:, 2].amax(-1),
            "a11_loss_stage2_joint": self.loss_stage2[:, 0], "a11_loss_stage2_uni1": self.loss_stage2[:, 1],
            "a11_loss_stage2_uni2": self.loss_stage2[:, 2],
            "T0_joint": self.T0[:, 0], "T0_uni1": self.T0[:, 1], "T0_uni2": self.T0[:, 2],
            "a12_psi_stage1_max": self.psi_stage1[:, 0].amax(-1), "a12_offtarget_mass_max": self.offmass_max,
            "a13_phi_max": M["phi_max"],
            "a16_grad_sum_max": a16[:, :, 0].amax(dim=(1, 2)),
            "a16_grad_sum_max_uni": a16[:, :, 1].amax(dim=(1, 2)),
            "a17_diag_min_over_sigma0": M["diag_min"] / s0,
            "a19_noise_suff_over_sigma0": M["noise_suff"] / s0, "a19_noise_upper_over_sigma0": M["noise_upper"] / s0,
            "a19_memo_max": M["memo_max"], "a19_memo_neg_over_sigma0": M["memo_neg"] / s0,
            "a19_noise_test_over_sigma0": test["noise_test"] / s0,
        }
        res.update({key: torch.stack(val, dim=1) for key, val in self.traj.items()})
        # Lemma A.14 / A.15 on the Def A.2 winning set M: the loser at the winner's T_j and at T
        joint_T = gamma_T                                                      # (R, 2, k)
        res["a10_min_gamma_T"] = joint_T.amax(1).amin(-1)
        in_m = self.init_win >= 0
        w = self.init_win.clamp(min=0).unsqueeze(1)
        pick = lambda g: g.gather(1, 1 - w).squeeze(1)  # noqa: E731  the Def A.2 loser's Gamma
        crossed = torch.isfinite(track.t_cross)
        y0, y_cross, y_end = pick(self.gamma0), pick(self.gamma_cross), pick(joint_T)
        bound = y0 * growth
        nan = torch.full_like(y0, math.nan)
        res["a14_loser_init_over_sigma0"] = torch.where(in_m, y0 / s0, nan)
        res["a14_loser_at_Tj_over_sigma0"] = torch.where(in_m & crossed, y_cross / s0, nan)
        res["a14_loser_at_T_over_sigma0"] = torch.where(in_m, y_end / s0, nan)
        res["a14_loser_bound_over_sigma0"] = torch.where(in_m, bound / s0, nan)
        events = {
            "a14_phase1_events": crossed & (y_cross <= bound),
            "a14_decisive_events": crossed & (y_cross < cfg.loser_frac * cfg.rho),
            "a14_winner_stays_events": crossed & ~self.flipped,
            "a14_loser_below_rho_events": pick(self.gamma_runmax) < cfg.rho,
        }
        res.update({key: val[in_m].to(torch.float64) for key, val in events.items()})
        return res


