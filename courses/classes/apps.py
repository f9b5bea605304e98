from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ClassesConfig(AppConfig):
    name = "courses.classes"
    label = "classes"
    verbose_name = _("Classes and progress")

    def nav_items(self, request):
        from . import policy

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        from makerroom.core.roles import is_student

        # "My courses" is a student's page: a teacher, lab staff or judge would land on an empty list.
        items = [(_("My courses"), reverse("classes:my_courses"))] if is_student(user) else []
        if policy.can_create_class(user):
            items.append((_("My classes"), reverse("classes:class_list")))
        return items

    def school_class_names(self, school_id):
        """For makerroom.core.directory: the school's class names, the newest school year first."""
        from .models import SchoolClass

        rows = SchoolClass.objects.filter(school_id=school_id).order_by("-school_year", "grade", "name")
        return list(dict.fromkeys(rows.values_list("name", flat=True)))

    def current_class_lessons(self, school_id):
        """For makerroom.core.directory: each class's current lesson (services.current_lessons)."""
        from .services import current_lessons

        return current_lessons(school_id)
