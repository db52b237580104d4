"""Seeds hashed from what a measurement depends on (benchopt style), so reruns reproduce exactly."""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any, Mapping

# A plugin module is imported as verifier_plugin_<file stem>_<hash of its path> (two plugins of one name in
# two folders must not collide in sys.modules); its seeds drop the path's hash.
_PLUGIN_MODULE = re.compile(r"^verifier_plugin_(?P<stem>.+)_[0-9a-f]{8}:")


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no whitespace; the key of caches and hashes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def replica_seeds(check: str, params: Mapping[str, float], base_seed: int, replicas: int) -> list[int]:
    """One 63-bit seed per replica, derived from (check, parameters, base seed, replica index).

    Results that read the same check at the same parameters share its run; a replica's seed does not
    depend on how many replicas run beside it, nor, for a plugin's check, on the folder the plugin lives
    in (its file name and function name count): a moved plugin reproduces its results."""
    root = digest({"check": _PLUGIN_MODULE.sub(r"plugin \g<stem>:", check), "params": dict(params), "seed": base_seed})
    return [int(digest([root, index])[:16], 16) >> 1 for index in range(replicas)]
