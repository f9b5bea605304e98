"""Client for the site's flashing API, for lab PCs that hold a token but no database credentials."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from .i18n import _, get_language


class RemoteError(RuntimeError):
    pass


class SiteClient:
    def __init__(self, server: str, token: str, timeout: float = 30.0):
        self.base = server.rstrip("/")
        self.token = token
        self.timeout = timeout

    def _request(self, method: str, path: str, body: dict | None = None) -> tuple[bytes, str]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        req.add_header("Accept-Language", get_language())  # the site answers errors in our language
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.read(), resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read()).get("error", "")
            except ValueError:
                detail = ""
            if exc.code == 401 and detail:
                raise RemoteError(
                    _("token rejected or revoked (HTTP 401): %(detail)s") % {"detail": detail}
                ) from exc
            if exc.code == 401:
                raise RemoteError(_("token rejected or revoked (HTTP 401)")) from exc
            message = _("server refused (HTTP %(code)s): %(detail)s")
            raise RemoteError(message % {"code": exc.code, "detail": detail or exc.reason}) from exc
        except (urllib.error.URLError, OSError) as exc:
            message = _("cannot reach the server %(server)s: %(reason)s")
            raise RemoteError(message % {"server": self.base, "reason": exc}) from exc

    def lesson_bundle(self, slug: str) -> bytes:
        data, _content_type = self._request("GET", f"/api/firmware/lessons/{slug}/bundle/")
        return data

    def record(self, result: dict) -> dict:
        data, _content_type = self._request("POST", "/api/firmware/flashes/", result)
        return json.loads(data)

    # The kit book (makerroom_flash.boards.KitBook) of remote mode: the site's kits endpoint.
    def check(self, codes: list[str]) -> dict[str, str]:
        data, _content_type = self._request("POST", "/api/firmware/kits/", {"codes": codes})
        return json.loads(data)["problems"]

    def by_mac(self, macs: list[str]) -> dict[str, str]:
        data, _content_type = self._request("POST", "/api/firmware/kits/", {"macs": macs})
        return json.loads(data)["macs"]
