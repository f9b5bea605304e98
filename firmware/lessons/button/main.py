# 第 2 课：按一下按键，灯就换一个状态（亮↔灭）
# 按键一头接 14 号引脚，另一头接 GND（地）。
# 小知识：按键按下时，金属片会“抖”几下，产生好几次信号，这叫“抖动”。
# 我们记住上一次按下的时间，200 毫秒内的重复信号就不理它，这叫“防抖”。

from machine import Pin
import time

led = Pin(2, Pin.OUT)  # 板载 LED
button = Pin(14, Pin.IN, Pin.PULL_UP)  # 上拉：平时读到 1，按下读到 0

last_press = 0  # 上一次真正按下的时间（毫秒）


def on_press(pin):
    # 这个函数叫“中断处理函数”：按键一按下，板子会立刻跑来执行它
    global last_press
    now = time.ticks_ms()
    if time.ticks_diff(now, last_press) > 200:  # 离上次按下超过 200 毫秒才算数
        last_press = now
        led.value(not led.value())  # 灯的状态取反：亮变灭，灭变亮


# 当引脚从 1 变成 0（按下那一刻）时，调用 on_press
button.irq(trigger=Pin.IRQ_FALLING, handler=on_press)

while True:
    time.sleep(1)  # 主程序什么都不用做，等按键就行
