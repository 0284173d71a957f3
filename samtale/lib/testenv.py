"""Loaded by pytest before Django (``-p samtale.lib.testenv`` in pyproject.toml): the settings
the test suite runs with, set as environment variables exactly as production would set them."""

import os

os.environ.setdefault("SAMTALE_SECRET_KEY", "samtale-test-secret-key-not-for-production-0123456789")
os.environ.setdefault("SAMTALE_DEBUG", "0")
# The test server speaks plain HTTP, so cookies must not require HTTPS.
os.environ.setdefault("SAMTALE_SECURE", "0")
# Playwright's sync API runs an event loop in the test thread; the ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
