"""makerroom-flash: flash MicroPython lessons onto many ESP32 boards at once, from a lab PC.

The host side of MakerRoom's lesson firmware, installable without Django: the base-firmware store,
the lesson filesystem image, the esptool flasher and mpremote sync, the parallel runner, the
command line and the client of the site's REST API. The site's `firmware` app imports it.
"""

__version__ = "0.1.0"
