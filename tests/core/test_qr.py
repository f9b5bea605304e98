"""The core's QR codes: the faster mask choice gives qrcode's own code (the codes scanning from a
rendered page is tested with the label sheets and the certificates)."""

import random

import qrcode
from makerroom.core.qr import qr_matrix


def test_the_faster_mask_choice_is_qrcodes_own():
    """The same eight masks and the same penalty as qrcode's best_mask_pattern: the same code."""
    rng = random.Random(12)
    for _ in range(120):
        data = (
            f"https://maker.example.cn/lab/assets/SZ-{rng.randrange(10**4):04d}-{rng.randrange(10**6):06d}/"
        )
        data += "x" * rng.randrange(0, 160)  # versions 3 to 10, with and without the version blocks
        theirs = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
        theirs.add_data(data)
        theirs.make(fit=True)
        assert qr_matrix(data) == theirs.get_matrix()
