# 第 8 课：温湿度计
# DHT11 传感器的数据脚接 4 号引脚。它能测温度（°C）和湿度（%）。
# DHT11 每 2 秒才能测一次，所以我们每 2 秒读一次。

from machine import Pin
import dht
import time

sensor = dht.DHT11(Pin(4))
warning = Pin(2, Pin.OUT)  # 太热时点亮板载灯提醒

while True:
    try:
        sensor.measure()  # 让传感器测量一次
        temp = sensor.temperature()
        humidity = sensor.humidity()
        print("温度:", temp, "°C  湿度:", humidity, "%")
        warning.value(1 if temp >= 30 else 0)  # 30°C 以上就亮灯
    except OSError:
        # 线没接好时会读取失败，告诉同学们检查接线
        print("读取失败，请检查 DHT11 的接线")
    time.sleep(2)
