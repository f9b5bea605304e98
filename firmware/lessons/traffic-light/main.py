# 第 4 课：红绿灯
# 红灯接 25 号引脚，黄灯接 26 号，绿灯接 27 号（每盏灯串一个 220Ω 电阻）。
# 顺序：红灯 5 秒 → 绿灯 5 秒 → 绿灯闪 3 下 → 黄灯 2 秒 → 再回到红灯。

from machine import Pin
import time

red = Pin(25, Pin.OUT)
yellow = Pin(26, Pin.OUT)
green = Pin(27, Pin.OUT)


def only(light):
    # 先把三盏灯都关掉，再打开要亮的那一盏
    red.value(0)
    yellow.value(0)
    green.value(0)
    if light is not None:
        light.value(1)


while True:
    only(red)  # 红灯停
    time.sleep(5)

    only(green)  # 绿灯行
    time.sleep(5)

    for i in range(3):  # 绿灯闪 3 下，提醒快要变灯了
        green.value(0)
        time.sleep_ms(500)
        green.value(1)
        time.sleep_ms(500)

    only(yellow)  # 黄灯等一等
    time.sleep(2)
