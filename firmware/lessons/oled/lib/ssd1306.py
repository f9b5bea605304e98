# SSD1306 OLED 屏幕驱动（I2C 版）
#
# 改写自 micropython-lib 的 SSD1306 驱动（micropython-lib/micropython/drivers/display/ssd1306/ssd1306.py），
# 只留 I2C 部分，加了中文注释。原作者的许可证（MIT）如下，按它的要求保留：
# Adapted from the SSD1306 driver in micropython-lib (https://github.com/micropython/micropython-lib),
# I2C only, with Chinese comments. Its licence (MIT) follows, kept as it requires.
#
# The MIT License (MIT)
#
# Copyright (c) 2013-2024 Damien P. George and contributors to MicroPython / micropython-lib
#
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
#
# The above copyright notice and this permission notice shall be included in
# all copies or substantial portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
# THE SOFTWARE.
#
# 屏幕内部有一块显存：每 8 行像素叫一“页”，每个字节管一列里的 8 个点。
# 我们先在板子的内存里画好（framebuf），再一次性发给屏幕。

import framebuf
from micropython import const

SET_CONTRAST = const(0x81)
SET_ENTIRE_ON = const(0xA4)
SET_NORM_INV = const(0xA6)
SET_DISP = const(0xAE)
SET_MEM_ADDR = const(0x20)
SET_COL_ADDR = const(0x21)
SET_PAGE_ADDR = const(0x22)
SET_DISP_START_LINE = const(0x40)
SET_SEG_REMAP = const(0xA0)
SET_MUX_RATIO = const(0xA8)
SET_COM_OUT_DIR = const(0xC0)
SET_DISP_OFFSET = const(0xD3)
SET_COM_PIN_CFG = const(0xDA)
SET_DISP_CLK_DIV = const(0xD5)
SET_PRECHARGE = const(0xD9)
SET_VCOM_DESEL = const(0xDB)
SET_CHARGE_PUMP = const(0x8D)


class SSD1306_I2C(framebuf.FrameBuffer):
    def __init__(self, width, height, i2c, addr=0x3C):
        self.width = width
        self.height = height
        self.pages = height // 8
        self.i2c = i2c
        self.addr = addr
        self.buffer = bytearray(self.pages * width)
        super().__init__(self.buffer, width, height, framebuf.MONO_VLSB)
        self.init_display()

    def write_cmd(self, cmd):
        # 0x80 开头表示“后面是一条命令”
        self.i2c.writeto(self.addr, bytes([0x80, cmd]))

    def init_display(self):
        # 屏幕开机要按顺序设置好这些参数
        for cmd in (
            SET_DISP,  # 先关屏
            SET_MEM_ADDR, 0x00,  # 横向寻址
            SET_DISP_START_LINE,
            SET_SEG_REMAP | 0x01,  # 左右方向
            SET_MUX_RATIO, self.height - 1,
            SET_COM_OUT_DIR | 0x08,  # 上下方向
            SET_DISP_OFFSET, 0x00,
            SET_COM_PIN_CFG, 0x02 if self.height == 32 else 0x12,
            SET_DISP_CLK_DIV, 0x80,
            SET_PRECHARGE, 0xF1,
            SET_VCOM_DESEL, 0x30,
            SET_CONTRAST, 0xFF,
            SET_ENTIRE_ON,
            SET_NORM_INV,
            SET_CHARGE_PUMP, 0x14,  # 打开内部升压
            SET_DISP | 0x01,  # 开屏
        ):
            self.write_cmd(cmd)
        self.fill(0)
        self.show()

    def show(self):
        # 告诉屏幕：要写满所有列、所有页，然后把显存整块发过去
        for cmd in (SET_COL_ADDR, 0, self.width - 1, SET_PAGE_ADDR, 0, self.pages - 1):
            self.write_cmd(cmd)
        # 0x40 开头表示“后面都是像素数据”
        self.i2c.writeto(self.addr, b"\x40" + self.buffer)
