#!/usr/bin/env bash
# The GPU figures of the performance issue, in stages that each fit one 10-minute command on a lent
# GPU machine (which has torch, numpy, scipy, sympy and networkx but no network, so nothing is
# installed: the repository runs from PYTHONPATH). Writes its logs and JSON under $OUT (or ./gpu-out).
#
#   bash benchmarks/gpu_session.sh bench      # batched vs per-seed loop at 1, 16, 256, 4096 replicas;
#                                             # float32 families again with TF32 matmuls
#   bash benchmarks/gpu_session.sh full       # verify all --profile full, timed (stops itself at 570 s
#                                             # with SIGINT, which keeps the finished results)
#   bash benchmarks/gpu_session.sh cost       # each training of the full profile: its first whole batch
#   bash benchmarks/gpu_session.sh precision  # huang2022 quick in float64 and in float32, verdicts compared
#   bash benchmarks/gpu_session.sh adaptive   # after `cost` (or COSTS=its cost.json): fixed against
#                                             # --adaptive on every full-profile result whose trainings are
#                                             # each projected <= WITHIN s (default 60)
#   bash benchmarks/gpu_session.sh session    # what one lent session (15 minutes of device time in all,
#                                             # start-up included) holds, in one command of at most 590 s:
#                                             # bench at 1, 256 and 1024 replicas (at most 300 s), then
#                                             # `cost` for the rest; each part's rows are in its log as
#                                             # they come, so a part stopped at its limit keeps them
set -uo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
out="${OUT:-$PWD/gpu-out}"
mkdir -p "$out"
py=python3

$py -c "import torch, numpy, scipy, sympy, networkx; print('torch', torch.__version__, 'cuda', torch.version.cuda,
      torch.cuda.get_device_name() if torch.cuda.is_available() else 'NO GPU')" | tee "$out/environment.txt"
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv >>"$out/environment.txt" 2>&1

case "${1:-}" in
  bench)
    $py benchmarks/bench.py --device cuda --replicas 1 16 256 4096 --json "$out/bench.json" 2>&1 | tee "$out/bench.log"
    $py benchmarks/bench.py --device cuda --replicas 256 4096 --precision tf32 --family late-fusion \
      --json "$out/bench_tf32.json" 2>&1 | tee "$out/bench_tf32.log"
    ;;
  full)
    start=$(date +%s)
    # SIGINT makes verify keep what finished and still write the JSON; a shell that started this in the
    # background may have set SIGINT to ignored, so the command restores Python's handler first.
    timeout -s INT -k 20 570 $py -c 'import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler)
from verifier.interfaces.cli import main; sys.exit(main())' all --profile full --device cuda --no-cache --quiet \
      --store /tmp/gpu-store.sqlite --json "$out/full.json" 2>&1 | tee "$out/full.log"
    echo "verify all --profile full: exit ${PIPESTATUS[0]}, $(( $(date +%s) - start )) s wall" | tee -a "$out/full.log"
    ;;
  cost)
    $py benchmarks/profile_cost.py --profile full --device cuda --probe 0 --json "$out/cost.json" 2>&1 | tee "$out/cost.log"
    ;;
  precision)
    $py benchmarks/precision.py huang2022 --device cuda 2>&1 | tee "$out/precision.log"
    ;;
  adaptive)
    costs="${COSTS:-$out/cost.json}"  # the cost stage's JSON (a copy kept from an earlier command: COSTS=path)
    if [ ! -f "$costs" ]; then echo "no $costs: run the cost stage first, or set COSTS" >&2; exit 2; fi
    timeout -k 20 570 $py benchmarks/adaptive.py --all --profile full --device cuda --costs "$costs" \
      --within "${WITHIN:-60}" --json "$out/adaptive_full.json" 2>&1 | tee "$out/adaptive_full.log"
    ;;
  session)
    timeout -k 10 300 $py benchmarks/bench.py --device cuda --replicas 1 256 1024 --loop-max 8 \
      --json "$out/bench.json" 2>&1 | tee "$out/bench.log"
    echo "bench: exit ${PIPESTATUS[0]}" | tee -a "$out/bench.log"
    timeout -k 10 270 $py benchmarks/profile_cost.py --profile full --device cuda --probe 0 \
      --json "$out/cost.json" 2>&1 | tee "$out/cost.log"
    echo "cost: exit ${PIPESTATUS[0]}" | tee -a "$out/cost.log"
    ;;
  *)
    echo "usage: bash benchmarks/gpu_session.sh bench|full|cost|precision|adaptive|session" >&2
    exit 2
    ;;
esac
