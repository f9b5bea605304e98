"""Read-only Wagtail API v2 for school portals. Apps register their endpoints here."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from courses.api import CoursesAPIViewSet, LessonsAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("courses", CoursesAPIViewSet)
api_router.register_endpoint("lessons", LessonsAPIViewSet)
