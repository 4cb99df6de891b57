"""The seed reproductions: earlier systems' models rebuilt on the engine's CP-SAT pieces.

`cs358.solve_cs358` reproduces the CS358 investment-return MIP exactly;
`trischedule.solve_trischedule` solves the triathlon seed's season in one model.
They use `worker.engine` (progress, parameters) and `shared.reproduce`; the engine never
imports them.
"""
