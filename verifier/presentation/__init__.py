"""Presentation: the terminal table, the HTML report, plots and notebook display, all rendered from
stored run records (JSON) and measurement arrays.

Rule: imports ``verifier.spec`` and ``verifier.judging`` besides itself; never ``verifier.running``
(a registry or store is passed in as an object when a caller has one).
"""
