from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture
def in_english() -> Iterator[None]:
    """Messages raised outside a request (by the services) read in English in the tests that
    use this; requests follow the signed-in person's language."""
    with translation.override("en"):
        yield
