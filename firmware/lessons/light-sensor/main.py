# 第 7 课：光控小夜灯
# 光敏电阻和 10kΩ 电阻串在一起，中间的连接点接 35 号引脚：
#   3.3V —— 光敏电阻 —— GPIO 35 —— 10kΩ —— GND
# 光敏电阻那一端接 3.3V（不要接 5V），所以光线越亮，读数越大；
# 天黑了读数变小，我们就把灯打开。

from machine import ADC, Pin
import time

sensor = ADC(Pin(35))
sensor.atten(ADC.ATTN_11DB)
led = Pin(2, Pin.OUT)

DARK = 20000  # 比这个数小，就认为“天黑了”

while True:
    light = sensor.read_u16()
    if light < DARK:
        led.value(1)  # 天黑：开灯
    else:
        led.value(0)  # 天亮：关灯
    print("亮度:", light)
    time.sleep_ms(500)
