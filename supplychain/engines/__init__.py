"""Simulation engines. Private: use `supplychain.simulate`.

An engine runs one chunk of runs, one per seed sequence, and returns either
their daily series or their summary (`.summary`):
`.vector.run_vector` advances the runs together as arrays,
`.des.run_des` one after the other with SimPy events. They are two
independent implementations of docs/model.md: the vector engine applies the
array rules of `.kernel` to the inputs of `.day`, the SimPy engine
its own scalar rules (`.des`); both draw from `.draws`, hand their
days to a sink (`.record`, `.summary`), record the variables of
`.variables`, and stop on a non-finite number (`.finite`). Cutting an
ensemble into chunks and choosing where they run is `supplychain.run`'s job.

Implements docs/model.md §10 (conformance).
"""
