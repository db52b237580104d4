"""Judging: symbolic decisions (sympy), acceptance tests over measurements, verdicts and their
propagation through the dependency graph.

Rule: imports only ``verifier.spec`` besides itself.
"""
