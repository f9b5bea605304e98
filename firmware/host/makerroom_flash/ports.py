"""Finding the serial ports that have an ESP32 board behind them."""

from __future__ import annotations

# USB bridges found on ESP32 boards sold in China: Espressif's own USB, Silicon Labs CP210x,
# WCH CH340/CH341 and CH9102/CH343.
USB_IDS = {
    (0x303A, None): "Espressif USB",
    (0x10C4, 0xEA60): "CP210x",
    (0x1A86, 0x7523): "CH340",
    (0x1A86, 0x5523): "CH341",
    (0x1A86, 0x55D4): "CH9102",
    (0x1A86, 0x55D3): "CH343",
}


def find_ports() -> list[str]:
    """Serial ports with an ESP32 USB bridge, sorted by device name."""
    from serial.tools import list_ports

    found = []
    for port in list_ports.comports():
        if port.vid is None:
            continue
        if (port.vid, port.pid) in USB_IDS or (port.vid, None) in USB_IDS:
            found.append(port.device)
    return sorted(found)
