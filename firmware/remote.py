"""Client for the site's flashing API, for lab PCs that hold a token but no database credentials."""

from __future__ import annotations

import json
import urllib.error
import urllib.request


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
            if exc.code == 401:
                raise RemoteError(f"令牌无效或已撤销 (token rejected, HTTP 401) {detail}".strip()) from exc
            raise RemoteError(f"服务器拒绝 (HTTP {exc.code}): {detail or exc.reason}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise RemoteError(f"连不上服务器 (cannot reach {self.base}): {exc}") from exc

    def lesson_bundle(self, slug: str) -> bytes:
        data, _ = self._request("GET", f"/api/firmware/lessons/{slug}/bundle/")
        return data

    def record(self, result: dict) -> dict:
        data, _ = self._request("POST", "/api/firmware/flashes/", result)
        return json.loads(data)
