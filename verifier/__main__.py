"""``python -m verifier ...``: the ``verify`` command without installing the package (e.g. on a GPU
machine that already has the dependencies: ``PYTHONPATH=. python3 -m verifier all --profile full``)."""
from verifier.interfaces.cli import console_main

console_main()
