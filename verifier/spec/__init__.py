"""The spec vocabulary: papers, results, parameters, claims and figure declarations.

Rule: imports nothing else of the engine (a spec is data that every other room reads).
"""
