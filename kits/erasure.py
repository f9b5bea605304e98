"""What erasing a student's data (makerroom.core.erasure) does to kits: loans stay, with an
anonymous borrower.

A loan is the maker room's record of where a kit went and how it came back: it stays, still counted
as a loan to a student, but it no longer points at the student (`borrower` is emptied, so the loan
list shows no name)."""

from django.dispatch import receiver
from makerroom.core.erasure import student_data_erased

from .models import Loan


@receiver(student_data_erased, dispatch_uid="kits-erase-student")
def keep_loans_without_the_borrower(sender, student, **kwargs):
    Loan.objects.filter(borrower=student).update(borrower=None)
