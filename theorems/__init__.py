"""Built-in theorem specs: one module per paper, each exposing ``PAPER`` and ``RESULTS``.

Specs are data (sympy expressions); they name their checks by import path and never import torch.
"""
