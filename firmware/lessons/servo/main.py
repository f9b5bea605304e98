# 第 10 课：舵机来回摆动
# SG90 舵机：棕线接 GND，红线接 5V，橙线（信号）接 13 号引脚。
# 舵机每 20 毫秒要收到一个脉冲（频率 50Hz），
# 脉冲 0.5 毫秒时转到 0 度，2.5 毫秒时转到 180 度。

from machine import Pin, PWM
import time

servo = PWM(Pin(13), freq=50)


def set_angle(angle):
    # 把角度（0~180）换算成脉冲宽度（单位：纳秒，1 毫秒 = 1000000 纳秒）
    pulse_ns = 500_000 + angle * 2_000_000 // 180
    servo.duty_ns(pulse_ns)


while True:
    for angle in range(0, 181, 10):  # 从 0 度转到 180 度
        set_angle(angle)
        time.sleep_ms(100)
    for angle in range(180, -1, -10):  # 再转回 0 度
        set_angle(angle)
        time.sleep_ms(100)
