"""The one Jinja2 environment of the presentation room: the package's ``templates/``, autoescape on,
undefined names an error. The report adds its filters and globals to it (:mod:`.html`)."""
from __future__ import annotations

import jinja2

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("verifier.presentation", "templates"),
    autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
    undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
