#!/usr/bin/env bash
# Set up .venv for the verifier. Torch: reuse one already installed for python3 (a GPU machine),
# else take the CUDA build where nvidia-smi sees a GPU, else the CPU build torch==2.13.0 (from PyTorch's CPU
# wheel index, or a CPU wheel pip already finds on disk); the last line says which torch it is.
# Usage: scripts/setup.sh [--test]   (--test adds the test dependencies and the optional Ray executor)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
extras=""
[ "${1:-}" = "--test" ] && extras="[test,ray]"

if [ ! -x .venv/bin/python ]; then
    if "$python" -c "import torch" 2>/dev/null; then
        echo "setup: using the torch already installed for $python" >&2
        "$python" -m venv --system-site-packages .venv
    else
        "$python" -m venv .venv
    fi
fi
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
    if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi >/dev/null 2>&1; then
        .venv/bin/pip install --quiet torch
    else
        # no GPU: the CPU build, explicitly (PyTorch's CPU wheel index; a CPU wheel already on disk, found
        # through pip's own configuration, is taken as well); a plain 'torch' would pull the CUDA build
        .venv/bin/pip install --quiet torch==2.13.0 --extra-index-url https://download.pytorch.org/whl/cpu \
            --timeout 15 --retries 1
    fi
fi
.venv/bin/pip install --quiet -e ".${extras}"
echo "setup: ready ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__, "CUDA build" if torch.version.cuda else "CPU build")'))" >&2
