"""Background jobs: the job document's lifecycle (`lifecycle.py`, the one module that reads
and writes it), an attempt at a job (`attempt.py`) with the steps of each kind (`plan.py`,
`replan.py`), and what keeps attempts honest: heartbeat, cancel and drain flags, requeue,
the recovery loop, retried persistence and progress reporting."""
