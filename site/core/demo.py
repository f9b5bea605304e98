"""Helpers every app's demo seed uses: idempotent page upserts, so `seed_demo` can run again."""

from wagtail.fields import StreamField


def publish_if_changed(page, **fields):
    """Set fields and publish a new revision only if something differs: running the seed
    again leaves the page history alone."""
    changed = not page.live or page.has_unpublished_changes
    for name, value in fields.items():
        if _comparable(page, name, getattr(page, name)) != _comparable(page, name, value):
            setattr(page, name, value)
            changed = True
    if changed:
        page.save_revision().publish()
    return page


def _comparable(page, name, value):
    model_field = page._meta.get_field(name)
    if isinstance(model_field, StreamField):  # compare blocks by type and value, not by their random ids
        stored = model_field.get_prep_value(model_field.to_python(value))
        return [(block["type"], block["value"]) for block in stored]
    return value


def upsert_child(parent, page_class, slug, **fields):
    """Create or update a published child page by slug. Idempotent; every app's seed uses it."""
    page = page_class.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = page_class(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page
    return publish_if_changed(page, **fields)
