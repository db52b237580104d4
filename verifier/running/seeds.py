"""Seeds hashed from what a measurement depends on (benchopt style), so reruns reproduce exactly."""
from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace; the key of caches and hashes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def replica_seeds(check: str, params: Mapping[str, float], base_seed: int, replicas: int) -> list[int]:
    """One 63-bit seed per replica, derived from (check, parameters, base seed, replica index).

    Results that read the same check at the same parameters share its run; a replica's seed does not
    depend on how many replicas run beside it."""
    root = digest({"check": check, "params": dict(params), "seed": base_seed})
    return [int(digest([root, index])[:16], 16) >> 1 for index in range(replicas)]
