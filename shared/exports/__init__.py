"""A plan as files: one registry of output formats (`registry`), one module per renderer.

The CLI (`trainplan plan --format`, `--chart`) and the API (`GET /training-plans/{id}.{ext}`,
`/training-plans/{id}/chart.{ext}`) both serve what `registry` lists.
"""
