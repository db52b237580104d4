"""Running: the registry of specs, the runner, the results store, batching, the compute policy
(precision, threads, device) and the executors.

Rule: imports ``verifier.spec`` and ``verifier.judging`` besides itself; never presentation or interfaces.
"""
