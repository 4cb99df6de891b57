"""Runners: their collection (`store`), changes (`changes`), the list's plan overview
(`overview`) and deleting a runner with everything kept for them (`deletion`)."""
