# 第 1 课：让 LED 闪烁
# 很多 ESP32 开发板上自带一个蓝色小灯，它连在 2 号引脚（GPIO 2）上
# （NodeMCU-32S、DOIT ESP32 DEVKIT V1 等 DevKitC 兼容板）。
# 官方 ESP32-DevKitC 和 S3/C3 开发板的 GPIO 2 上没有灯：在 GPIO 2 外接 LED 和 220Ω 电阻到 GND。
# 我们让它亮 0.5 秒、灭 0.5 秒，一直重复下去。

from machine import Pin  # Pin 用来控制板子上的引脚
import time  # time 用来等待

led = Pin(2, Pin.OUT)  # 把 2 号引脚设成“输出”，这样就能控制灯的亮和灭

while True:  # 一直重复下面的事情
    led.value(1)  # 给 1：灯亮
    time.sleep_ms(500)  # 等 500 毫秒（0.5 秒）
    led.value(0)  # 给 0：灯灭
    time.sleep_ms(500)  # 再等 0.5 秒
