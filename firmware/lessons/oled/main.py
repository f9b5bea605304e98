# 第 12 课：OLED 显示屏
# 0.96 寸 OLED 用 I2C 通信，只要两根线：SDA 接 21 号引脚，SCL 接 22 号引脚。
# 屏幕有 128 × 64 个小点（像素），我们在上面写字。

from machine import I2C, Pin
from ssd1306 import SSD1306_I2C
import time

i2c = I2C(0, scl=Pin(22), sda=Pin(21), freq=400000)
oled = SSD1306_I2C(128, 64, i2c)

seconds = 0
while True:
    oled.fill(0)  # 先把屏幕擦干净
    oled.text("Hello, MakerRoom", 0, 0)  # 在左上角写字
    oled.text("Time: " + str(seconds) + " s", 0, 24)
    oled.rect(0, 48, 128, 16, 1)  # 画一个方框
    oled.fill_rect(0, 48, seconds % 16 * 8, 16, 1)  # 方框里的进度条
    oled.show()  # 把画好的内容送到屏幕上
    seconds += 1
    time.sleep(1)
