"""The base of every model class: a call with a keyword it does not take says which, and what was meant.

A dataclass called with an unknown keyword (``ExportControl(strat=5)``) gets Python's plain ``TypeError:
ExportControl.__init__() got an unexpected keyword argument 'strat'``, which names neither the fields nor
the one meant. `Checked` checks the arguments of a call before the class's own ``__init__`` runs, from that
``__init__``'s signature, and raises `supplychain.errors.ArgumentError` (a `ValidationError` and a
`TypeError`) naming the field, the value given and the close matches (`supplychain._validation.unknown_field`),
likewise for too many positional arguments (most shocks take their fields by name only) and for required
fields left out. It works by ``__new__``, so frozen and slotted dataclasses stay as they are, a class's own
``__init__`` (its signature in ``help`` and notebooks) is untouched, and pickling and copying, which call
``__new__`` with no arguments, are not checked (a call with no arguments at all is left to Python's message).
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

from .._validation import shown, unknown_field
from ..errors import ArgumentError

__all__ = ["Checked"]


class _Spec:
    """What a class's ``__init__`` accepts: its parameters by name and position."""

    __slots__ = ("names", "ordered", "positional", "required", "required_set", "any_keyword", "any_positional")

    def __init__(self, cls: type) -> None:
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]   # without self
        kinds = inspect.Parameter
        named = [p.name for p in params if p.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)]
        # A class's own fields (who, what, how much) first, inherited ones (start, end) after, as in its repr.
        inherited = {f.name for base in cls.__mro__[1:] if dataclasses.is_dataclass(base)
                     for f in dataclasses.fields(base)}
        self.ordered = sorted(named, key=lambda f: f in inherited)
        self.names = set(named)
        self.positional = [p.name for p in params if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
        self.required = [p.name for p in params if p.default is inspect.Parameter.empty
                         and p.kind in (kinds.POSITIONAL_OR_KEYWORD, kinds.KEYWORD_ONLY)]
        self.required_set = frozenset(self.required)
        self.any_keyword = any(p.kind is kinds.VAR_KEYWORD for p in params)
        self.any_positional = any(p.kind is kinds.VAR_POSITIONAL for p in params)


_SPECS: dict[type, _Spec] = {}


def _spec(cls: type) -> _Spec:
    spec = _SPECS.get(cls)
    if spec is None:
        spec = _SPECS[cls] = _Spec(cls)
    return spec


def check_call(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Raise `ArgumentError` if ``cls(*args, **kwargs)`` passes a keyword ``cls`` does not take, too many
    positional arguments, or leaves out a required field.

    Examples
    --------
    >>> from supplychain.model import ExportControl
    >>> check_call(ExportControl, (), {"exporter": "CN", "commodity": "gallium", "mode": "ban", "strat": 5})
    Traceback (most recent call last):
    ...
    supplychain.errors.ArgumentError: field 'strat' is not a parameter of ExportControl (given 5). Did you mean 'start'? Its fields: start, exporter, commodity, mode, ...
    """
    spec = _spec(cls)
    name = cls.__name__
    if not spec.any_keyword:
        for key, value in kwargs.items():
            if key not in spec.names:
                raise unknown_field(key, spec.ordered, name, value=value)
    if not spec.any_positional and len(args) > len(spec.positional):
        if spec.positional:
            takes = f"at most {len(spec.positional)} positional argument{'s' * (len(spec.positional) > 1)} " \
                    f"({', '.join(spec.positional)}), the rest by name"
        else:
            takes = "its fields by name only"
        example = ", ".join(f"{f}=..." for f in spec.required[:3]) or "field=..."
        raise ArgumentError(f"{name} takes {takes}: {name}({example}); got {len(args)} positional arguments "
                            f"({', '.join(shown(a) for a in args[:4])}{', ...' if len(args) > 4 else ''}).")
    taken = spec.positional[:len(args)]
    given = set(taken) | set(kwargs)
    missing = [f for f in spec.required if f not in given]
    if missing:
        # Positional arguments fill the inherited fields first (a shock's start, end): say so, and how to call.
        how = (f" (by name: {name}({', '.join(f'{f}=...' for f in missing)}); the {len(args)} positional "
               f"argument{'s were' if len(args) > 1 else ' was'} taken as {', '.join(taken)})") if args else ""
        raise ArgumentError(f"{', '.join(missing)} must be given for {name}{how}; got only {sorted(given)!r}.")


class Checked:
    """Base of every model class: the arguments of a call are checked before ``__init__`` (`check_call`).

    Examples
    --------
    >>> from supplychain.model import Region
    >>> Region(id="JP", nmae="Japan")
    Traceback (most recent call last):
    ...
    supplychain.errors.ArgumentError: field 'nmae' is not a parameter of Region (given 'Japan'). Did you mean 'name'? Its fields: name, id.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if args:
            check_call(cls, args, kwargs)
        elif kwargs:   # pickling and copying call __new__ with no arguments
            spec = _SPECS.get(cls) or _spec(cls)
            keys = kwargs.keys()
            if not (spec.names.issuperset(keys) or spec.any_keyword) or not spec.required_set <= keys:
                check_call(cls, args, kwargs)
        return object.__new__(cls)
