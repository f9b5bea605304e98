# 第 5 课：让蜂鸣器弹《小星星》
# 无源蜂鸣器接 23 号引脚。PWM 的频率就是声音的音高：频率越高，声音越尖。

from machine import Pin, PWM
import time

# 每个音符对应的频率（单位：赫兹）
NOTES = {
    "C": 262,  # do
    "D": 294,  # re
    "E": 330,  # mi
    "F": 349,  # fa
    "G": 392,  # sol
    "A": 440,  # la
}

# 《小星星》：一闪一闪亮晶晶，满天都是小星星
# 每一项是（音符，拍数），一拍 400 毫秒
SONG = [
    ("C", 1), ("C", 1), ("G", 1), ("G", 1), ("A", 1), ("A", 1), ("G", 2),
    ("F", 1), ("F", 1), ("E", 1), ("E", 1), ("D", 1), ("D", 1), ("C", 2),
]
BEAT_MS = 400

buzzer = PWM(Pin(23), freq=440, duty_u16=0)  # 一开始不出声

while True:
    for note, beats in SONG:
        buzzer.freq(NOTES[note])  # 换成这个音的频率
        buzzer.duty_u16(32768)  # 一半时间通电：发出声音
        time.sleep_ms(BEAT_MS * beats - 50)
        buzzer.duty_u16(0)  # 停一下，两个音才分得开
        time.sleep_ms(50)
    time.sleep(2)  # 唱完一遍，休息 2 秒再唱
