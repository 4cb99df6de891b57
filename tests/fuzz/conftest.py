from tests.service.conftest import api, stack

__all__ = ["api", "stack"]
