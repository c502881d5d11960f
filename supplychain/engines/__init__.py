"""Simulation engines. Private: use :func:`supplychain.simulate`.

An engine runs one chunk of runs, one per seed sequence, and returns either
their daily series or their summary (:mod:`.summary`):
:func:`.vector.run_vector` advances the runs together as arrays,
:func:`.des.run_des` one after the other with SimPy events. They are two
independent implementations of docs/model.md: the vector engine applies the
array rules of :mod:`.kernel` to the inputs of :mod:`.day`, the SimPy engine
its own scalar rules (:mod:`.des`); both draw from :mod:`.draws`, hand their
days to a sink (:mod:`.record`, :mod:`.summary`), record the variables of
:mod:`.variables`, and stop on a non-finite number (:mod:`.finite`). Cutting an
ensemble into chunks and choosing where they run is :mod:`supplychain.run`'s job.

Implements docs/model.md §10 (conformance).
"""
