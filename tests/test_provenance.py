"""Issue #18, point 2: provenance is data read from the notes' tags (the weakest part of a mixed tag
wins), declared for every result of the five papers, and a tag that states none is a load problem."""
import collections

import pytest

from verifier import Kind, Paper, Result
from verifier.running import registry as reg
from verifier.running.registry import validate
from verifier.spec.provenance import Origin, Provenance, parse_tag


@pytest.mark.parametrize("tag, origin, confidence", [
    ("FOUND (primary)", Origin.FOUND, None),
    ("FOUND (primary); threshold 221/49 corrected in the note", Origin.FOUND, None),
    ("FOUND (secondary); linear closed form from the note (B.3)", Origin.SECONDARY, None),
    ("standard; FOUND (seed: 'Gaussian average')", Origin.SECONDARY, None),
    ("R-high (margin R-med)", Origin.RECONSTRUCTED, "med"),
    ("structure FOUND, formulas R-low ((vii), (viii) R-med)", Origin.RECONSTRUCTED, "low"),
    ("FOUND (secondary, code lag_depth); derivation RECONSTRUCTED", Origin.RECONSTRUCTED, None),
    ("", Origin.UNDECLARED, None),
])
def test_tags_read_as_provenance(tag, origin, confidence):
    source = parse_tag(tag)
    assert (source.origin, source.confidence) == (origin, confidence)
    assert source.found == (origin in (Origin.FOUND, Origin.SECONDARY))


def test_a_tag_that_states_no_provenance_is_reported_on_its_field():
    result = Result(id="p/lemma-1", kind=Kind.LEMMA, number="1", title="t", statement="s",
                    paper=Paper("p", "P", ("A",), 2026), tag="probably right")
    assert any(field == "tag" and "states no provenance" in reason for field, reason in validate(result))
    with pytest.raises(ValueError, match="confidence"):
        Provenance(Origin.RECONSTRUCTED, "medium")


def test_every_result_of_the_five_papers_declares_its_provenance():
    results = reg.load().results.values()
    counts = collections.Counter(r.source.origin for r in results)
    assert counts[Origin.UNDECLARED] == 0
    assert counts[Origin.FOUND] > 30 and counts[Origin.RECONSTRUCTED] > 30 and counts[Origin.SECONDARY] >= 5
