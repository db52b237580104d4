"""huang2024: Huang, Han, Chen, Cao, Xu, Suzuki. On the Comparison between Multi-modal and Single-modal
Contrastive Learning. NeurIPS 2024, arXiv 2411.02837.

Source: section C of ``shared/papers/generalization-papers.md`` (the paper's full text was read: every
item is FOUND (primary) unless its ``tag`` says otherwise; the note's corrections are used, e.g. the
corrected Lemma 5.3 and the threshold 221/49). Numbering follows the paper.

Encoded: equations (1)-(11) for the set-up, Assumption 4.1, Theorems 4.2-4.3, Lemmas 5.1-5.4, Figure 1,
Table 1 (on a coloured-digits substitute), and the appendix results B.1-B.5, C.1-C.14, C.17, C.18, D.1-D.11,
D.14 and D.15. Not encoded, and why:

* C.15 / D.12 (||W^(T1) - W*||_F <= O~(...)): an O~ bound whose polylog factor and constant are unspecified;
  the distance itself is measured (``c18_dist2``, ``d15_dist2``) and enters C.18 / D.15 through T.
* C.16 / D.13 (<grad F_j(W^(t)), W*> against 2 log(2M/eps) and log(2M/eps)): the step of the convergence
  proof between the coefficient bounds and C.17 / D.14, whose conclusion is checked; the inner products of
  each F_j's gradient with W* are not recorded by the training check.

Three checks provide the measurements. ``checks.contrastive:contrastive_comparison`` (both trainings, batched
over replicas and an SNR grid) runs at three parameter sets:

* ``PHASE`` (Theorems 4.2-4.3, equations, Lemmas 5.1, 5.3, C.3, C.7, D.3, and the whole-run results C.13,
  C.14, C.17, C.18, D.11, D.14, D.15): d = n^2 = 1024 (the first term of Assumption 4.1(1)), m = 16, eta at
  the largest value C.13 allows (b = eta sigma_xi^2 d/(n m tau) = 1/12), sigma0 = 1e-3 <= 1/(10 sigma_xi
  sqrt d), sigma_eps = 0.1 sigma_xi, C_mu = 3, 400 steps;
  the theorems are read at n SNR^2 = 1.75, inside [1.7, 1.8] where the single-modal condition
  (n SNR^2 <= 1.8) and the multi-modal one (C_mu n SNR^2 >= 221/49) hold together; a geometric grid
  0.25..8 of n SNR^2 locates where signal learning overtakes noise memorisation.
* ``STAGE`` (Lemmas 5.2, 5.4, C.1, C.2, C.4, C.11, D.1, D.2, D.4, D.8, D.9): the first stage at
  n SNR^2 = 1.75 with n = 100 (M ~ 50 negatives), d = n^2 = 10^4, recorded every step.
* ``PAPER`` (Figure 1): the paper's section-6 experiment as the note re-simulated it (d = 2000, n = 100,
  m = 50, lr 1 for 200 full-batch steps, ||mu|| = 5, ||mu~|| = 15, OOD test signal nu = 0.4 mu).

``checks.contrastive_init:contrastive_init`` draws the same initialisation and data at the PHASE sizes
(d = 1024, n = 32, m = 16; 256 replicas on the quick profile) for B.1-B.5, C.5 (at t = 0), C.6, C.8, C.10,
C.12, D.6, D.7 and D.10, and samples the normalised correlations directly where a lemma needs a d that cannot
be drawn (B.2 at d = 1e10, C.6 at 2e11, D.6 at 2.2e15). ``checks.noise_totals`` draws C.9's and D.5's noise
totals exactly along a ladder of n (``theorems.huang2024.ladders``). ``checks.colored_digits`` runs Table 1.

The conditions d >= n/(sigma0 sigma_xi), d >= (sigma0 ||mu||)^-2 of Assumption 4.1(1) (d >= 3e4), the
d-conditions of B.2, C.6 and D.6 (d >= 1e7 and more), the sample sizes n >= 2500 log(4/delta) of
C.4/D.4, n >= 5e5 of C.10/D.7 and n >= 1.28e6 log(4/delta) of D.8 are not met at any simulable size; the
results whose proofs state them carry them as assumptions (a PASS outside them is reported INCONCLUSIVE).
Where a lemma's conclusion can be sampled at the d its condition asks for (B.2, C.6, D.6), it is checked
there as well.
"""
from __future__ import annotations

from theorems.huang2024._common import CHECK, MEASURES, PAPER, PARAMETERS
from theorems.huang2024.appendix_init import (
    INIT_CHECK,
    INIT_MEASURES,
    INIT_PARAMETERS,
    INIT_RESULTS,
    LEMMA_B_1,
    LEMMA_B_2,
    LEMMA_B_3,
    LEMMA_B_4,
    LEMMA_B_5,
    LEMMA_C_5,
    LEMMA_C_6,
    LEMMA_C_8,
    LEMMA_C_10,
    LEMMA_C_12,
    LEMMA_D_6,
    LEMMA_D_7,
    LEMMA_D_10,
    SI,
)
from theorems.huang2024.appendix_training import (
    LEMMA_C_1,
    LEMMA_C_2,
    LEMMA_C_3,
    LEMMA_C_4,
    LEMMA_C_7,
    LEMMA_C_11,
    LEMMA_C_14,
    LEMMA_C_17,
    LEMMA_C_18,
    LEMMA_D_1,
    LEMMA_D_2,
    LEMMA_D_3,
    LEMMA_D_4,
    LEMMA_D_8,
    LEMMA_D_9,
    LEMMA_D_11,
    LEMMA_D_14,
    LEMMA_D_15,
    PROPOSITION_C_13,
    TRAJECTORY_RESULTS,
)
from theorems.huang2024.ladders import LEMMA_C_9, LEMMA_D_5
from theorems.huang2024.main_text import (
    ASSUMPTION_4_1,
    DEFINITION_EQ1,
    DEFINITION_EQ3,
    DEFINITION_EQ6,
    DEFINITION_EQ11,
    FIGURE_1,
    LEMMA_5_1,
    LEMMA_5_2,
    LEMMA_5_2_PROOF,
    LEMMA_5_3,
    LEMMA_5_4,
    LEMMA_5_4_PROOF,
    TABLE_1,
    THEOREM_4_2,
    THEOREM_4_3,
    THEOREM_4_3_LADDER,
)

__all__ = ["RESULTS", "CHECK", "MEASURES", "PAPER", "PARAMETERS", "INIT_CHECK", "INIT_MEASURES", "INIT_PARAMETERS",
           "INIT_RESULTS", "LEMMA_B_1", "LEMMA_B_2", "LEMMA_B_3", "LEMMA_B_4", "LEMMA_B_5", "LEMMA_C_10",
           "LEMMA_C_12", "LEMMA_C_5", "LEMMA_C_6", "LEMMA_C_8", "LEMMA_D_10", "LEMMA_D_5", "LEMMA_D_6", "LEMMA_D_7",
           "SI", "LEMMA_C_1", "LEMMA_C_11", "LEMMA_C_14", "LEMMA_C_17", "LEMMA_C_18", "LEMMA_C_2", "LEMMA_C_3",
           "LEMMA_C_4", "LEMMA_C_7", "LEMMA_C_9", "LEMMA_D_1", "LEMMA_D_11", "LEMMA_D_14", "LEMMA_D_15",
           "LEMMA_D_2", "LEMMA_D_3", "LEMMA_D_4", "LEMMA_D_8", "LEMMA_D_9", "PROPOSITION_C_13",
           "TRAJECTORY_RESULTS", "ASSUMPTION_4_1", "DEFINITION_EQ1", "DEFINITION_EQ11", "DEFINITION_EQ3",
           "DEFINITION_EQ6", "FIGURE_1", "LEMMA_5_1", "LEMMA_5_2", "LEMMA_5_2_PROOF", "LEMMA_5_3", "LEMMA_5_4",
           "LEMMA_5_4_PROOF", "TABLE_1",
           "THEOREM_4_2", "THEOREM_4_3", "THEOREM_4_3_LADDER"]

RESULTS = [DEFINITION_EQ1, DEFINITION_EQ3, DEFINITION_EQ6, DEFINITION_EQ11, ASSUMPTION_4_1, LEMMA_5_1, LEMMA_5_3,
           LEMMA_C_3, LEMMA_C_7, LEMMA_D_3, LEMMA_C_4, LEMMA_C_9, LEMMA_C_11, LEMMA_D_4, LEMMA_D_9, LEMMA_5_2_PROOF,
           LEMMA_5_2, LEMMA_5_4_PROOF, LEMMA_5_4, THEOREM_4_2, THEOREM_4_3, THEOREM_4_3_LADDER, FIGURE_1, TABLE_1,
           *INIT_RESULTS, LEMMA_D_5,
           *TRAJECTORY_RESULTS]
