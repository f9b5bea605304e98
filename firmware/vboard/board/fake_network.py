# Virtual `network`: a Wi-Fi interface that records how the lesson configures it.
import vboard

STA_IF = 0
AP_IF = 1
AUTH_OPEN = 0
AUTH_WPA2_PSK = 3


class WLAN:
    def __init__(self, interface=STA_IF):
        self.interface = interface
        self._active = False
        self._connected = False
        self._config = {}

    def active(self, value=None):
        if value is None:
            return self._active
        self._active = bool(value)
        vboard.board.record("wlan_active", self.interface, self._active)

    def config(self, *args, **kwargs):
        if args:
            return self._config.get(args[0], "")
        if "password" in kwargs and 0 < len(kwargs["password"]) < 8:
            raise ValueError("password must be at least 8 characters")
        self._config.update(kwargs)
        vboard.board.record("wlan_config", self.interface, kwargs)

    def connect(self, ssid=None, key=None):
        self._connected = ssid in vboard.board.scenario.get("networks", [])
        vboard.board.record("wlan_connect", self.interface, ssid)

    def isconnected(self):
        return self._connected or (self.interface == AP_IF and self._active)

    def ifconfig(self, config=None):
        if self.interface == AP_IF:
            return ("192.168.4.1", "255.255.255.0", "192.168.4.1", "192.168.4.1")
        return ("192.168.1.50", "255.255.255.0", "192.168.1.1", "192.168.1.1")

    def scan(self):
        return [
            (s.encode(), b"\x00" * 6, 1, -50, 3, False) for s in vboard.board.scenario.get("networks", [])
        ]

    def status(self, *args):
        return 1010 if self.isconnected() else 1000
