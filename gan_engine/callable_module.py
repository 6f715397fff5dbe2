"""Modules that share their name with the public function they define (gan_engine.train, gan_engine.progression).

Importing such a submodule binds the *module* to the package attribute of that name, shadowing the lazy
public function of the same name (gan_engine/__init__.py). Making the module callable, forwarding to
its function, lets `gan_engine.train(...)` work whichever was bound first.
"""
from __future__ import annotations

import sys
import types
from typing import Any


def make_module_callable(module_name: str, function_name: str) -> None:
    """Calling module `module_name` calls its attribute `function_name` with the same arguments."""

    class CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(self, function_name)(*args, **kwargs)

    sys.modules[module_name].__class__ = CallableModule
