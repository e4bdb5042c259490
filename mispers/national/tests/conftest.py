from mispers.exchange.tests.conftest import history  # noqa: F401 (the same small force)
