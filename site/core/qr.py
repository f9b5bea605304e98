"""QR codes in PDFs (certificates, asset labels), drawn as vector shapes: one filled path per code,
a rectangle per run of dark modules in a row, written straight into the page as PDF operators. No
PNG per code: encoding and embedding an image took three quarters of a label's time.

    from makerroom.core.qr import draw_qr, qr_matrix

    draw_qr(pdf, qr_matrix(url), x, y, size)   # pdf: a reportlab canvas; (x, y) its bottom left

`qr_matrix` is qrcode's encoder (error correction M) with the same choice of mask computed faster.
"""

import re

import qrcode


class _QRCode(qrcode.QRCode):
    """qrcode's encoder with a faster choice of mask: the same eight candidates and the same penalty
    score (ISO/IEC 18004 rules 1–4, as `qrcode.util.lost_point` counts them, so the same mask is
    chosen), computed on rows held as integers and strings instead of eight full re-encodings. The
    choice took six of the seven milliseconds a code cost."""

    def best_mask_pattern(self):
        self.makeImpl(True, 0)
        n = self.modules_count
        flips = _mask_flips(self)
        base = [_row_bits(row) ^ flip for row, flip in zip(self.modules, flips[0], strict=True)]
        best, best_points = 0, None
        for pattern in range(8):
            rows = [bits ^ flip for bits, flip in zip(base, flips[pattern], strict=True)]
            points = _penalty(rows, n)
            if best_points is None or points < best_points:
                best, best_points = pattern, points
        return best


def _row_bits(row):
    """A row of modules as an integer, the leftmost module the highest bit."""
    bits = 0
    for dark in row:
        bits = (bits << 1) | bool(dark)
    return bits


_FLIPS = {}


def _mask_flips(code):
    """Per mask pattern, per row: the bits the mask inverts (data modules only). Once per version."""
    key = code.version
    if key not in _FLIPS:
        from qrcode import util
        from qrcode.main import copy_2d_array, precomputed_qr_blanks

        n = code.modules_count
        saved = code.modules
        code.modules = copy_2d_array(precomputed_qr_blanks[code.version])
        code.setup_type_info(True, 0)
        if code.version >= 7:
            code.setup_type_number(True)
        data = [[cell is None for cell in row] for row in code.modules]
        code.modules = saved
        _FLIPS[key] = [
            [_row_bits(data[r][c] and util.mask_func(pattern)(r, c) for c in range(n)) for r in range(n)]
            for pattern in range(8)
        ]
    return _FLIPS[key]


_RUN = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = re.compile(r"(?=10111010000|00001011101)")


def _penalty(rows, n):
    lines = [format(bits, f"0{n}b") for bits in rows]
    lines += ["".join(column) for column in zip(*lines, strict=True)]
    text = " ".join(lines)  # rows and columns; no pattern crosses a space
    runs = sum(len(run) - 2 for run in _RUN.findall(text))
    inner = (1 << (n - 1)) - 1
    blocks = 0
    for top, bottom in zip(rows, rows[1:], strict=False):
        same = ~(top ^ bottom) & ~(top ^ (top >> 1)) & ~(bottom ^ (bottom >> 1)) & inner
        blocks += same.bit_count()
    finders = len(_FINDER_LIKE.findall(text))
    dark = sum(bits.bit_count() for bits in rows)
    balance = int(abs(float(dark) / (n * n) * 100 - 50) / 5)
    return runs + 3 * blocks + 40 * finders + 10 * balance


def qr_matrix(data):
    """The QR code's modules (rows of booleans, True is dark), without the quiet zone."""
    code = _QRCode(error_correction=qrcode.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(pdf, matrix, x, y, size):
    """Draw the code at (x, y), `size` points square: one filled path, in module units, of a
    rectangle per run of dark modules in a row (written as PDF operators: reportlab's path object
    formats every number in Python, which cost more than the code itself)."""
    n = len(matrix)
    unit = size / n
    ops = []
    for row_index, row in enumerate(matrix):
        start = None
        for col, dark in enumerate(row):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                ops.append(f"{start} {row_index} {col - start} 1 re")
                start = None
        if start is not None:
            ops.append(f"{start} {row_index} {n - start} 1 re")
    pdf.saveState()
    pdf.transform(unit, 0, 0, -unit, x, y + size)  # module units, rows downwards from the top left
    pdf.addLiteral("\n".join(ops) + "\nf")
    pdf.restoreState()
