"""Loss surfaces for optimizer experiments: pure JAX functions with teaching metadata.

s = landscapes.get("rosenbrock")          # or get("quadratic", condition=50, angle=30)
s(jnp.array([x, y]))                      # loss, traceable
landscapes.names(kind="saddle")           # what there is, by what it teaches
landscapes.title("rosenbrock"), landscapes.kind("rosenbrock")   # known without building
landscapes.from_formula("x^2 + 10*y^2", ((-3, 3), (-3, 3)))   # typed by a user, parsed safely
"""

from landscapes import formula, many_minima, models, plateaus, rugged, saddles, valleys  # noqa: F401  (registration)
from landscapes.custom import from_function, regularized
from landscapes.evaluate import find_minima, loss_resolution
from landscapes.formula import FormulaError, from_formula
from landscapes.param import Param
from landscapes.surface import (
    KINDS,
    Surface,
    get,
    grid_values,
    kind,
    kinds,
    names,
    param_specs,
    title,
)

__all__ = [
    "KINDS",
    "FormulaError",
    "Param",
    "Surface",
    "find_minima",
    "from_formula",
    "from_function",
    "get",
    "grid_values",
    "loss_resolution",
    "kind",
    "kinds",
    "names",
    "param_specs",
    "regularized",
    "title",
]
