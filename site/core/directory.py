"""Who is in a school and what its classes are doing, asked of whichever app keeps it: the core
knows schools and people, the classes live in courses.classes. Apps that may not import courses
(kits: a kit lent to a class; firmware: flashing a class's current lesson) ask here; an app answers
by defining these methods on its AppConfig, as apps add header links with `nav_items`."""

from django.apps import apps


def school_class_names(school_id) -> list[str]:
    """The names of a school's classes (this school year's first), without repeats."""
    names: list[str] = []
    for config in apps.get_app_configs():
        provide = getattr(config, "school_class_names", None)
        if provide is not None and school_id is not None:
            names.extend(n for n in provide(school_id) if n not in names)
    return names


def current_class_lessons(school_id) -> list[dict]:
    """Each class of a school with the lesson it is on now: [{class, lesson, program, due_on}]."""
    found: list[dict] = []
    for config in apps.get_app_configs():
        provide = getattr(config, "current_class_lessons", None)
        if provide is not None and school_id is not None:
            found.extend(provide(school_id))
    return found
