"""Fixed vocabularies of the course pages: levels (Longgang document) and licences (SPDX ids)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """The four levels of the maker "second classroom" in the Longgang district opinions."""

    FIRST_STEPS = "first-steps", _("Maker first steps")  # 创客启蒙
    ADVANCED = "advanced", _("Advanced training")  # 进阶培训
    HANDS_ON = "hands-on", _("Hands-on making")  # 手工创造
    CREATIVE = "creative", _("Creative practice")  # 创意实践


class Licence(models.TextChoices):
    """Open licences a lesson may carry (SPDX identifiers)."""

    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_NC_SA_4 = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    MIT = "MIT", "MIT"
    APACHE_2 = "Apache-2.0", "Apache 2.0"
    GPL_3 = "GPL-3.0-or-later", _("GPL 3.0 or later")


DEFAULT_LICENCE = Licence.CC_BY_SA_4

LICENCE_URLS = {
    Licence.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/deed.zh-hans",
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/deed.zh-hans",
    Licence.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.zh-hans",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.zh-hans",
    Licence.MIT: "https://spdx.org/licenses/MIT.html",
    Licence.APACHE_2: "https://spdx.org/licenses/Apache-2.0.html",
    Licence.GPL_3: "https://spdx.org/licenses/GPL-3.0-or-later.html",
}


def licence_url(spdx_id):
    return LICENCE_URLS.get(spdx_id, f"https://spdx.org/licenses/{spdx_id}.html")
