"""One world of two schools for the whole matrix module, rolled back when the module ends.

Building the world (pages, revisions, a festival edition, two maker rooms) takes a few seconds, so
it is built once per module inside an outer transaction; each test runs in a savepoint of it
(pytest-django's `db`), so whatever a request changes is undone before the next test. When the
module ends the outer transaction is rolled back and the database is as clean as before.
"""

import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections, transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from tests.factories import build_world

    with django_db_blocker.unblock(), override_settings(MAKERROOM_FIRMWARE_STORE=_firmware_store()):
        cache.clear()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            for connection in connections.all():
                connection.close_if_unusable_or_obsolete()
            cache.clear()


def _firmware_store():
    """A site firmware store with one ESP32 image, so the flashing URLs answer what their rules say
    (with an empty store every role would get 404)."""
    from makerroom_flash.store import FirmwareStore

    from tests.firmware.esp_images import merged_image

    root = Path(tempfile.mkdtemp(prefix="matrix-firmware-"))
    image = root / "ESP32_GENERIC-v1.24.1.bin"
    image.write_bytes(merged_image("esp32", "v1.24.1"))
    FirmwareStore(root / "store").add(image)
    return str(root / "store")
