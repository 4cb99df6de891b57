"""The constraint families of the plan model, one function each, named for what it enforces.

Each function adds its family's rows to a model; `registry.py` names, explains and
orders them."""
