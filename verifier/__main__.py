"""``python -m verifier ...``: the ``verify`` command without installing the package (e.g. on a GPU
machine that already has the dependencies: ``PYTHONPATH=. python3 -m verifier all --profile full``)."""
import sys

from verifier.interfaces.cli import main

sys.exit(main())
