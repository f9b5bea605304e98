"""Cross-origin isolation for lesson pages with a workbench, and only for them.

The workbench's worker sleeps with Atomics.wait on shared memory (SharedArrayBuffer), which the
browser only allows in a cross-origin isolated page: COOP same-origin + COEP. COEP is
`credentialless`, so images from another origin (S3 media) still load (without cookies), and the
lesson's video players are framed with `<iframe credentialless>` (courses/embeds.py).

A middleware rather than a header set by the page's view: the page cache (makerroom.core) stores
only a page's body, and its hits must carry the headers too. It marks pages by the workbench's
own attribute, which is in the body of every copy.
"""

from django.utils.deprecation import MiddlewareMixin

MARKER = b"data-cross-origin-isolated"


class CrossOriginIsolationMiddleware(MiddlewareMixin):
    # process_response (not __call__) so this module is not on the stack of the queries the page
    # makes: tests/courses/test_speed.py counts the queries made from courses/ code.
    def process_response(self, request, response):
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "streaming", False)
            and MARKER in response.content
        ):
            response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
            response.setdefault("Cross-Origin-Embedder-Policy", "credentialless")
        return response
