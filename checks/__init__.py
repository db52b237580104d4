"""Simulations and measurements behind the theorem specs.

A check is a plain function ``check(params, replicas, seeds, device) -> dict[str, numpy.ndarray]``:

* ``params``: concrete parameter values (a mapping of names to numbers) from a spec's profile;
* ``replicas``: how many independent replicas to run, batched along a leading tensor dimension;
* ``seeds``: one integer seed per replica (``len(seeds) == replicas``); replica ``i`` draws all of its
  randomness from ``seeds[i]`` so that it is reproducible whatever the batch size or device;
* ``device``: ``"cpu"`` or ``"cuda"``.

It returns named measurements as numpy arrays whose first axis is the replica (or, for event data, any
flat array of 0/1 outcomes). Checks know nothing about verdicts: the engine in ``verifier`` judges.
"""
