"""Service tests run against the real stack (tests/service/stack.py): uvicorn, Celery
worker processes, Redis, MongoDB. The `stack` and `api` fixtures live in tests/conftest.py:
one stack per pytest session, shared by tests/service, tests/browser and tests/fuzz.
"""

from __future__ import annotations

import pytest

# A guard against a hung stream, not an assertion on speed: each test takes seconds.
TEST_TIMEOUT_S = 240


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/service/" in item.nodeid and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(TEST_TIMEOUT_S))
