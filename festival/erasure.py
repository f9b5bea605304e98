"""What erasing a student's data (makerroom.core.erasure) does to the festival: entries keep their
team, without the name.

The team member row stays (a team's size, awards and certificates of the others stay right) and
points at the nameless stand-in the core keeps for the account, which every page shows as "former
student". The cached festival pages showed the name: they are refreshed (the core's cache contract).
"""

from django.dispatch import receiver
from makerroom.core.erasure import student_data_erased
from makerroom.core.page_cache import content_changed

from .models import Entry


@receiver(student_data_erased, dispatch_uid="festival-erase-student")
def keep_teams_without_the_name(sender, student, **kwargs):
    if Entry.objects.filter(members__student=student).exists():
        content_changed(sender=Entry)
