# 第 6 课：用电位器调节灯的亮度
# 电位器的中间脚接 34 号引脚，两边脚分别接 3.3V 和 GND。
# 旋转旋钮，34 号引脚上的电压就会变化，ADC 能把电压变成数字。

from machine import ADC, Pin, PWM
import time

knob = ADC(Pin(34))
knob.atten(ADC.ATTN_11DB)  # 让 ADC 能测量 0 ~ 3.3V 的电压
led = PWM(Pin(2), freq=1000)

while True:
    value = knob.read_u16()  # 读到的数字在 0 ~ 65535 之间
    led.duty_u16(value)  # 旋钮转得越多，灯越亮
    print("旋钮读数:", value)
    time.sleep_ms(100)  # 每秒读 10 次
