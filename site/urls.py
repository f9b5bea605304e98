from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from makerroom.core.health import healthz
from makerroom.core.metrics import metrics
from makerroom.search import views as search_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from .api import api_router

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
    path("django-admin/", admin.site.urls),
    # Wagtail's site-wide reports behind the core's rules (makerroom.core.reports), at Wagtail's paths.
    path("admin/reports/", include("makerroom.core.reports")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/firmware/", include("firmware.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Chinese at /, English at /en/. Wagtail's catch-all page serving must come last.
urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("accounts/", include("makerroom.accounts.urls")),
    # App views that are not Wagtail pages; prefixes chosen so they never shadow a page slug.
    path("learn/", include("courses.urls")),
    path("classes/", include("courses.classes.urls")),
    path("lab/", include("kits.urls")),
    path("judging/", include("festival.urls")),
    path("jobs/", include("makerroom.core.jobs_urls")),
    path("flash/", include("firmware.urls")),
    # Wagtail's pages; under /en/ an untranslated page is the Chinese one (makerroom.home.views.serve).
    path("", include("makerroom.home.urls")),
    prefix_default_language=False,
)
