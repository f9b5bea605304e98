"""Who is in a school, asked of whichever app keeps it: the core knows schools and people, the
classes live in courses.classes. Lower apps (kits: a kit lent to a class) ask here instead of
importing a feature app; an app answers by defining `school_class_names(school_id)` on its
AppConfig, as apps add header links with `nav_items`."""

from django.apps import apps


def school_class_names(school_id) -> list[str]:
    """The names of a school's classes (this school year's first), without repeats."""
    names: list[str] = []
    for config in apps.get_app_configs():
        provide = getattr(config, "school_class_names", None)
        if provide is not None and school_id is not None:
            names.extend(n for n in provide(school_id) if n not in names)
    return names
