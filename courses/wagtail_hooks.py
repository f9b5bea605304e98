from makerroom.core import page_cache  # noqa: F401  (the site's anonymous page cache registers its hooks on import)
