"""A plan as files: one registry of output formats (`registry`), one module per renderer.

The CLI (`trainplan plan --format`, `--chart`) and the API (`GET /training-plans/{id}.{ext}`,
`/training-plans/{id}/chart.{ext}`) both serve what `registry` lists; its device workouts
(`fit`, `zwo`: one file per session, `workouts`) go to `--out DIR|FILE.zip` and to
`/training-plans/{id}/days/{date}/workout.{ext}` and `/training-plans/{id}/workouts.zip`.
"""
