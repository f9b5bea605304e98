"""Finding the serial ports that have an ESP32 board behind them."""

from __future__ import annotations

from .boards import natural_order

# USB-serial bridges on the ESP32 boards schools buy, by USB vendor id (and product id where the
# vendor also makes other things): Espressif's own USB (S2/S3/C3/C6 native USB-Serial/JTAG),
# Silicon Labs CP210x (CP2102/CP2102N ea60, CP2105 ea70, CP2108 ea71), WCH CH340/CH341/CH9102/CH343,
# FTDI FT232R/FT2232/FT231X (ESP-Prog, ESP32-WROVER-KIT, older boards).
USB_IDS = {
    (0x303A, None): "Espressif USB",
    (0x10C4, 0xEA60): "CP210x",
    (0x10C4, 0xEA70): "CP2105",
    (0x10C4, 0xEA71): "CP2108",
    (0x1A86, 0x7522): "CH340K",
    (0x1A86, 0x7523): "CH340",
    (0x1A86, 0x5523): "CH341",
    (0x1A86, 0x55D4): "CH9102",
    (0x1A86, 0x55D3): "CH343",
    (0x1A86, 0x55D2): "CH342",
    (0x0403, 0x6001): "FT232R",
    (0x0403, 0x6010): "FT2232",
    (0x0403, 0x6011): "FT4232",
    (0x0403, 0x6014): "FT232H",
    (0x0403, 0x6015): "FT231X",
}


def find_ports() -> list[str]:
    """Serial ports with an ESP32 USB bridge, in natural order (ttyUSB2 before ttyUSB10)."""
    from serial.tools import list_ports

    found = []
    for port in list_ports.comports():
        if port.vid is None:
            continue
        if (port.vid, port.pid) in USB_IDS or (port.vid, None) in USB_IDS:
            found.append(port.device)
    return natural_order(found)
