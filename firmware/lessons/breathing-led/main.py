# 第 3 课：呼吸灯
# PWM 就是让引脚飞快地开、关。开的时间占得越多，灯看起来越亮。
# duty_u16 的范围是 0（全灭）到 65535（最亮）。

from machine import Pin, PWM
import time

led = PWM(Pin(2), freq=1000)  # 每秒开关 1000 次，眼睛看不出闪烁

while True:
    # 慢慢变亮：亮度从 0 一步步加到 65535
    for brightness in range(0, 65536, 4096):
        led.duty_u16(brightness)
        time.sleep_ms(20)
    led.duty_u16(65535)
    time.sleep_ms(20)
    # 慢慢变暗：亮度一步步减回 0
    for brightness in range(65535, -1, -4096):
        led.duty_u16(brightness)
        time.sleep_ms(20)
    led.duty_u16(0)
    time.sleep_ms(20)
