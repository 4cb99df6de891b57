class InvalidRequest(ValueError):
    """A request the engine cannot plan for at all (a 4xx, not an infeasible plan)."""
