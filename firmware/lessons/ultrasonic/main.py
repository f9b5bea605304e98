# 第 9 课：超声波测距
# HC-SR04 的 Trig 接 5 号引脚，Echo 接 18 号引脚。
# 注意：5 V 供电的 HC-SR04，Echo 输出 5 V，会烧坏 ESP32 的引脚（最高 3.3 V）！
# Echo 要经过分压再接 18 号引脚：Echo —1kΩ— GPIO 18 —2kΩ— GND。
# 或者用 3.3 V 的模块（HC-SR04P、RCWL-1601），VCC 接 3.3 V，就可以直接接。
# 原理：发出一声超声波，等它碰到东西弹回来，量一量花了多少时间。
# 声音每走 1 厘米来回大约要 58 微秒，所以：距离（厘米）= 来回时间 ÷ 58。

from machine import Pin, time_pulse_us
import time

trig = Pin(5, Pin.OUT)
echo = Pin(18, Pin.IN)
led = Pin(2, Pin.OUT)  # 太近时亮灯报警

while True:
    trig.value(0)
    time.sleep_us(2)
    trig.value(1)  # 发一个 10 微秒的触发信号
    time.sleep_us(10)
    trig.value(0)

    duration = time_pulse_us(echo, 1, 30000)  # 量 Echo 高电平有多长，最多等 30 毫秒
    if duration < 0:
        print("没有测到回声")
        led.value(0)
    else:
        distance = duration / 58
        print("距离:", round(distance, 1), "厘米")
        led.value(1 if distance < 10 else 0)  # 小于 10 厘米就报警
    time.sleep_ms(200)
