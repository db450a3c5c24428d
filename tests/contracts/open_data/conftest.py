"""The agreements every open-data test reads (defined with the format tests)."""

from tests.contracts.open_data.test_open_data import world  # noqa: F401
