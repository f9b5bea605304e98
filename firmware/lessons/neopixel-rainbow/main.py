# 第 11 课：彩虹灯环
# WS2812 灯环有 12 颗彩灯，数据线（DIN）接 15 号引脚。
# 每颗灯都能显示任何颜色，颜色由红、绿、蓝三个数（0~255）混合而成。

from machine import Pin
import neopixel
import time

COUNT = 12  # 灯的数量
ring = neopixel.NeoPixel(Pin(15), COUNT)


def wheel(pos):
    # 把 0~255 的一个数变成彩虹上的一种颜色：红 → 绿 → 蓝 → 红
    pos = pos % 256
    if pos < 85:
        return (255 - pos * 3, pos * 3, 0)
    if pos < 170:
        pos -= 85
        return (0, 255 - pos * 3, pos * 3)
    pos -= 170
    return (pos * 3, 0, 255 - pos * 3)


start = 0
while True:
    for i in range(COUNT):
        # 每颗灯错开一点颜色，整圈就是一道彩虹
        r, g, b = wheel(start + i * 256 // COUNT)
        ring[i] = (r // 8, g // 8, b // 8)  # 除以 8：不要太刺眼
    ring.write()  # 把颜色真正发给灯环
    start = (start + 8) % 256  # 下一次整体转一点点，彩虹就转起来了
    time.sleep_ms(50)
