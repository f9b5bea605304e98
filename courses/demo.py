"""Demo courses for seed_demo: three real maker courses in Chinese, written as a maker teacher would.
Idempotent: pages are updated in place, pictures drawn once."""

from django.conf import settings
from django.contrib.auth import get_user_model
from makerroom.core.demo import publish_if_changed, upsert_child
from makerroom.core.roles import Role, role_group

from firmware import library
from kits.models import ToolType

from .demo_images import demo_image
from .models import CourseIndexPage, CoursePage, LessonPage, LessonPart, LessonPrerequisite, Stage
from .publishing import ensure_course_publishing

ORANGE, TEAL, BLUE, PURPLE = (194, 65, 12), (15, 118, 110), (29, 78, 216), (109, 40, 217)


def step(heading, text, image=None, code=None):
    return {
        "type": "step",
        "value": {
            "heading": heading,
            "text": text,
            "image": image.pk if image else None,
            "video": None,
            "code": {"filename": "main.py", "code": code or ""},
        },
    }


def callout(kind, title, text):
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": text}}


def code(source, filename="main.py"):
    return {"type": "code", "value": {"filename": filename, "code": source}}


def question(text, choices, correct, explanation):
    return {
        "type": "question",
        "value": {
            "question": text,
            "choices": [{"text": choice, "correct": i == correct} for i, choice in enumerate(choices)],
            "explanation": explanation,
        },
    }


def picture(title, description, motif, colour):
    return demo_image(title, description, title, motif, colour)


USB_SAFETY = callout(
    "safety",
    "先断电，再接线",
    "<p>改动电路前先拔掉 USB 数据线；接好后请同桌检查一遍再通电。LED 一定要串联 220Ω 电阻，否则会烧坏 LED 和引脚。</p>",
)


def first_steps_lessons():
    board = picture("ESP32 开发板接线示意", "ESP32 开发板、面包板和一只串联电阻的 LED", "board", ORANGE)
    return [
        dict(
            slug="blink",
            title="点亮第一盏灯",
            program="blink",
            minutes=40,
            summary="认识 ESP32 开发板，用三行 MicroPython 让板载 LED 闪烁起来。",
            objectives="认识 ESP32 开发板和它的引脚\n知道“输出”引脚高电平灯亮、低电平灯灭\n会用 Thonny 把程序写进开发板",
            body=[
                step(
                    "认识开发板",
                    "<p>ESP32 是一块带 Wi-Fi 的小电脑。板子两边的金属针叫<b>引脚</b>，每个引脚都有编号，比如 GPIO2。</p>",
                    board,
                ),
                USB_SAFETY,
                step(
                    "连上电脑",
                    "<p>用 USB 数据线把开发板接到电脑，打开 Thonny，右下角选择“MicroPython (ESP32)”。看到 <code>&gt;&gt;&gt;</code> 提示符就说明连上了。</p>",
                ),
                step(
                    "在命令行里点亮它",
                    "<p>在 <code>&gt;&gt;&gt;</code> 后面逐行输入下面的代码，每输入一行按一次回车，观察板载蓝灯。</p>",
                    code="from machine import Pin\nled = Pin(2, Pin.OUT)\nled.value(1)",
                ),
                callout(
                    "hint",
                    "灯没亮？",
                    "<p>检查是不是选错了串口；有的开发板板载灯在 GPIO5，可以把 2 改成 5 试试。</p>",
                ),
                step(
                    "让灯一直闪",
                    "<p>把完整程序保存为 <code>main.py</code>，开发板每次上电都会自动运行它。试着把 500 改成 100，灯会怎样？</p>",
                ),
                question(
                    "程序里 time.sleep_ms(500) 的作用是什么？",
                    ["让灯更亮", "等待 0.5 秒", "关闭开发板"],
                    1,
                    "<p>sleep_ms 让程序暂停指定的毫秒数，500 毫秒就是 0.5 秒，所以灯亮 0.5 秒、灭 0.5 秒。</p>",
                ),
            ],
        ),
        dict(
            slug="button",
            title="按键开关灯",
            program="button",
            minutes=45,
            summary="用轻触按键控制 LED：认识“输入”引脚和上拉电阻。",
            objectives="知道输入引脚能读到按键的状态\n理解上拉电阻为什么让没按下时读到 1\n会用 if 语句根据按键控制灯",
            parts=[
                ("esp32-devkit", 1),
                ("usb-cable", 1),
                ("breadboard", 1),
                ("push-button", 1),
                ("jumper-wire", 4),
            ],
            body=[
                USB_SAFETY,
                step(
                    "搭电路", "<p>把按键跨在面包板中间的凹槽上，一脚接 GPIO0，对角的一脚接 GND。</p>", board
                ),
                step(
                    "读一读按键",
                    "<p>在命令行里读取引脚的值：没按下时是 1，按下时是 0。</p>",
                    code="from machine import Pin\nbutton = Pin(0, Pin.IN, Pin.PULL_UP)\nprint(button.value())",
                ),
                callout(
                    "hint",
                    "为什么按下是 0？",
                    "<p>我们打开了芯片内部的上拉电阻，平时引脚被“拉”到高电平；按下按键时引脚接到了 GND，所以读到 0。</p>",
                ),
                step(
                    "按一下，灯亮",
                    "<p>运行完整程序，按住按键灯亮，松开灯灭。再想一想：怎样改成“按一下亮、再按一下灭”？</p>",
                ),
                question(
                    "没有上拉电阻、按键也没按下时，输入引脚会读到什么？",
                    ["一定是 1", "一定是 0", "不确定，会乱跳"],
                    2,
                    "<p>引脚悬空时容易受干扰，读数会在 0 和 1 之间乱跳，所以需要上拉或下拉电阻。</p>",
                ),
            ],
        ),
        dict(
            slug="breathing-led",
            title="呼吸灯",
            program="breathing-led",
            minutes=45,
            summary="用 PWM 让 LED 像呼吸一样慢慢变亮、慢慢变暗。",
            objectives="理解 PWM：快速开关改变平均亮度\n会设置占空比 duty\n会用 for 循环做渐变",
            body=[
                USB_SAFETY,
                step(
                    "什么是 PWM",
                    "<p>灯每秒开关 1000 次，我们的眼睛分辨不出来，只觉得“亮一点”或“暗一点”。亮的时间占一个周期的比例叫<b>占空比</b>。</p>",
                ),
                step(
                    "试一试不同亮度",
                    "<p>在命令行里改变 duty 的值（0～1023），观察亮度变化。</p>",
                    code="from machine import Pin, PWM\nled = PWM(Pin(2), freq=1000)\nled.duty(100)\nled.duty(900)",
                ),
                step(
                    "做成呼吸灯",
                    "<p>用两个 for 循环让 duty 从 0 增加到 1023，再减回 0。完整程序见本课程序。</p>",
                    board,
                ),
                callout(
                    "warning",
                    "引脚别接错",
                    "<p>PWM 输出要接在支持输出的引脚上，GPIO34～39 只能输入，接上去灯不会亮。</p>",
                ),
                question(
                    "占空比从 25% 提高到 75%，LED 会怎样？",
                    ["变亮", "变暗", "不变"],
                    0,
                    "<p>亮的时间变长，平均电流变大，看起来更亮。</p>",
                ),
            ],
        ),
        dict(
            slug="traffic-light",
            title="红绿灯",
            program="traffic-light",
            minutes=80,
            summary="用三只 LED 模拟路口红绿灯，练习顺序结构和时间控制。",
            objectives="会同时控制多个输出引脚\n能把生活中的规则写成程序步骤\n学会用函数整理重复代码",
            body=[
                USB_SAFETY,
                step(
                    "连接三只 LED",
                    "<p>红灯接 GPIO25，黄灯接 GPIO26，绿灯接 GPIO27，每只 LED 都串联一只 220Ω 电阻后接 GND。</p>",
                    board,
                ),
                step(
                    "写出红绿灯的规则",
                    "<p>先用中文写：红灯亮 5 秒 → 绿灯亮 5 秒 → 绿灯闪 3 次 → 黄灯亮 2 秒 → 重复。再把每句话翻译成代码。</p>",
                ),
                step(
                    "用函数点亮一只灯",
                    "<p>写一个函数，只让指定的那只灯亮，其他灯灭。</p>",
                    code="from machine import Pin\nred, yellow, green = Pin(25, Pin.OUT), Pin(26, Pin.OUT), Pin(27, Pin.OUT)\n\ndef only(light):\n    for pin in (red, yellow, green):\n        pin.value(1 if pin is light else 0)",
                ),
                callout("hint", "拓展", "<p>加一个按键做“行人过街按钮”：按下后绿灯提前结束。</p>"),
                question(
                    "为什么每只 LED 都要串联电阻？",
                    ["为了好看", "限制电流，保护 LED 和引脚", "让灯闪烁"],
                    1,
                    "<p>LED 几乎没有电阻，直接接 3.3V 电流会过大；220Ω 电阻把电流限制在十几毫安。</p>",
                ),
            ],
        ),
        dict(
            slug="buzzer-melody",
            title="蜂鸣器奏乐",
            program="buzzer-melody",
            minutes=45,
            summary="用无源蜂鸣器和 PWM 频率演奏《小星星》。",
            objectives="知道声音的音调由频率决定\n会用 PWM 频率让蜂鸣器发出不同音符\n会用列表保存一段旋律",
            body=[
                USB_SAFETY,
                step("连接蜂鸣器", "<p>无源蜂鸣器的正极接 GPIO23，负极接 GND。</p>", board),
                step(
                    "发出一个音",
                    "<p>频率 262Hz 是中音 do，试试 294（re）和 330（mi）。</p>",
                    code="from machine import Pin, PWM\nimport time\nbuzzer = PWM(Pin(23), freq=262, duty=512)\ntime.sleep(1)\nbuzzer.deinit()",
                ),
                callout(
                    "warning",
                    "注意音量",
                    "<p>教室里几十个蜂鸣器同时响会很吵，调试时把 duty 调小到 50，或用手指轻轻按住蜂鸣器。</p>",
                ),
                step(
                    "演奏一段旋律",
                    "<p>把音符频率和时长写进列表，用 for 循环逐个播放。完整程序见本课程序。</p>",
                ),
                question(
                    "让蜂鸣器发出更高的音，应该怎么改？",
                    ["提高频率", "提高占空比", "换一个引脚"],
                    0,
                    "<p>音调由振动频率决定，频率越高音越高；占空比主要影响音量和音色。</p>",
                ),
            ],
        ),
    ]


def sensor_lessons():
    sensor = picture("传感器模块示意", "超声波测距模块有一个发射头和一个接收头", "sensor", TEAL)
    board = picture("传感器接线示意", "ESP32 开发板通过面包板连接传感器", "board", TEAL)
    return [
        dict(
            slug="potentiometer",
            title="旋钮与模拟输入",
            program="potentiometer",
            minutes=45,
            summary="用电位器认识模拟信号：ADC 把电压变成 0～4095 的数字。",
            objectives="区分数字信号和模拟信号\n会用 ADC 读取电压\n会把读数换算成百分比",
            body=[
                step("连接电位器", "<p>电位器两端分别接 3.3V 和 GND，中间脚接 GPIO34。</p>", board),
                step(
                    "读数",
                    "<p>转动旋钮，观察读数从 0 变到 4095。</p>",
                    code="from machine import ADC, Pin\nadc = ADC(Pin(34))\nadc.atten(ADC.ATTN_11DB)\nprint(adc.read())",
                ),
                callout(
                    "warning", "只接 3.3V", "<p>ESP32 的引脚最高只能承受 3.3V，千万不要把电位器接到 5V。</p>"
                ),
                step("换算成百分比", "<p>百分比 = 读数 ÷ 4095 × 100。把结果保留整数后打印出来。</p>"),
                question(
                    "ADC 读数 2048 大约对应多少电压？",
                    ["约 1.65V", "约 3.3V", "约 5V"],
                    0,
                    "<p>满量程 4095 对应约 3.3V，2048 约为一半，即约 1.65V。</p>",
                ),
            ],
        ),
        dict(
            slug="light-sensor",
            title="光敏电阻：天黑自动开灯",
            program="light-sensor",
            minutes=45,
            summary="用光敏电阻测量环境亮度，天黑时自动点亮 LED。",
            objectives="知道光敏电阻的阻值随光照变化\n会用分压电路把阻值变化变成电压变化\n会设置阈值做自动控制",
            body=[
                step(
                    "搭分压电路", "<p>光敏电阻和 10kΩ 电阻串联在 3.3V 与 GND 之间，中点接 GPIO35。</p>", board
                ),
                step(
                    "测一测亮和暗",
                    "<p>用手遮住光敏电阻，记录读数；再用手电筒照射，记录读数。</p>",
                    code="from machine import ADC, Pin\nimport time\nldr = ADC(Pin(35))\nwhile True:\n    print(ldr.read())\n    time.sleep(0.5)",
                ),
                step("定一个阈值", "<p>取“亮”和“暗”两个读数的中间值作为阈值，读数低于阈值时开灯。</p>"),
                callout(
                    "hint",
                    "防止灯闪个不停",
                    "<p>在阈值附近读数会来回跳，可以设置两个阈值（开灯阈值和关灯阈值），这叫“回差”。</p>",
                ),
                question(
                    "光线变暗时，光敏电阻的阻值会怎样？",
                    ["变大", "变小", "不变"],
                    0,
                    "<p>常见的光敏电阻光照越弱阻值越大，所以分压点的电压会随之变化。</p>",
                ),
            ],
        ),
        dict(
            slug="dht11",
            title="温湿度计 DHT11",
            program="dht11",
            minutes=45,
            summary="用 DHT11 测量教室的温度和湿度，每两秒记录一次数据。",
            objectives="会使用 MicroPython 自带的 dht 模块\n理解传感器的测量周期\n会把数据整理成表格",
            body=[
                step("连接 DHT11", "<p>DHT11 模块的 VCC 接 3.3V，GND 接 GND，DATA 接 GPIO4。</p>", board),
                step(
                    "读取一次",
                    "<p>measure() 之后再读 temperature() 和 humidity()。</p>",
                    code="import dht\nfrom machine import Pin\nsensor = dht.DHT11(Pin(4))\nsensor.measure()\nprint(sensor.temperature(), sensor.humidity())",
                ),
                callout(
                    "warning", "别读得太快", "<p>DHT11 两次测量之间至少间隔 1 秒，读得太快会报 OSError。</p>"
                ),
                step(
                    "记录一节课的数据", "<p>每 2 秒打印一行“时间,温度,湿度”，复制到表格软件里画出折线图。</p>"
                ),
                question(
                    "DHT11 连续读取时报 OSError，最可能的原因是？",
                    ["读取间隔太短", "温度太高", "Wi-Fi 没连上"],
                    0,
                    "<p>DHT11 每秒最多测量一次，间隔太短会读取失败。</p>",
                ),
            ],
        ),
        dict(
            slug="ultrasonic",
            title="超声波测距",
            program="ultrasonic",
            minutes=80,
            summary="用 HC-SR04 超声波模块测量距离，做一把“电子尺”。",
            objectives="理解超声波测距的原理：距离 = 声速 × 时间 ÷ 2\n会测量回波脉冲的宽度\n会分析测量误差",
            body=[
                step(
                    "认识超声波模块",
                    "<p>模块左边的“眼睛”发出 40kHz 的超声波，右边的“眼睛”接收反射回来的声波。</p>",
                    sensor,
                ),
                step(
                    "接线",
                    "<p>VCC 接 5V（VIN），GND 接 GND，Trig 接 GPIO5，Echo 经分压电阻接 GPIO18。</p>",
                    board,
                ),
                callout(
                    "safety",
                    "Echo 引脚要分压",
                    "<p>HC-SR04 用 5V 供电时 Echo 输出 5V，直接接 ESP32 会损坏芯片。请用 1kΩ 和 2kΩ 电阻分压后再接入。</p>",
                ),
                step(
                    "算出距离",
                    "<p>声音在空气中每秒约传播 343 米，来回一趟，所以要除以 2。</p>",
                    code="from machine import Pin, time_pulse_us\nimport time\ntrig, echo = Pin(5, Pin.OUT), Pin(18, Pin.IN)\ntrig.value(1)\ntime.sleep_us(10)\ntrig.value(0)\nus = time_pulse_us(echo, 1, 30000)\nprint(us * 0.0343 / 2, 'cm')",
                ),
                question(
                    "回波脉冲宽度为 1166 微秒，距离大约是多少？",
                    ["约 10 厘米", "约 20 厘米", "约 40 厘米"],
                    1,
                    "<p>1166 × 0.0343 ÷ 2 ≈ 20 厘米。</p>",
                ),
            ],
        ),
        dict(
            slug="servo",
            title="舵机控制入门",
            program="servo",
            minutes=45,
            summary="用 PWM 信号控制 SG90 舵机转到指定角度，做一个会点头的小机器人。",
            objectives="知道舵机的角度由脉冲宽度决定\n会把角度换算成 duty\n能让舵机在两个角度之间摆动",
            body=[
                callout(
                    "safety",
                    "舵机要单独供电",
                    "<p>舵机转动时电流较大，多个舵机时请用外接电源，并把电源的 GND 与开发板的 GND 连在一起。手指不要放在舵盘旁边。</p>",
                ),
                step("连接舵机", "<p>棕线接 GND，红线接 5V，橙线（信号）接 GPIO13。</p>", board),
                step(
                    "转到 90 度",
                    "<p>50Hz 的 PWM 中，0.5 毫秒脉冲对应 0 度，2.5 毫秒对应 180 度。</p>",
                    code="from machine import Pin, PWM\nservo = PWM(Pin(13), freq=50)\nservo.duty(77)  # 约 1.5 毫秒，90 度",
                ),
                step(
                    "做一个点头机器人", "<p>把舵盘粘在纸盒做的头部上，让它在 60 度和 120 度之间来回摆动。</p>"
                ),
                question(
                    "舵机的角度由什么决定？",
                    ["信号脉冲的宽度", "电源电压的高低", "信号线的长度"],
                    0,
                    "<p>舵机每 20 毫秒接收一个脉冲，脉冲越宽转到的角度越大。</p>",
                ),
            ],
        ),
        dict(
            slug="oled",
            title="OLED 屏幕显示数据",
            program="oled",
            minutes=45,
            summary="把传感器读数显示在 0.96 寸 OLED 屏幕上，做一个桌面小气象站。",
            objectives="认识 I2C 总线的 SDA、SCL 两根线\n会用 ssd1306 驱动显示文字\n能把传感器数据实时显示出来",
            body=[
                step(
                    "连接屏幕",
                    "<p>OLED 的 SDA 接 GPIO21，SCL 接 GPIO22，VCC 接 3.3V，GND 接 GND。</p>",
                    board,
                ),
                step(
                    "显示第一行字",
                    "<p>驱动库 ssd1306.py 已经随本课程序提供，复制到开发板的 lib 文件夹。</p>",
                    code="from machine import Pin, I2C\nimport ssd1306\ni2c = I2C(0, scl=Pin(22), sda=Pin(21))\noled = ssd1306.SSD1306_I2C(128, 64, i2c)\noled.text('Hello Maker', 0, 0)\noled.show()",
                ),
                callout(
                    "hint",
                    "屏幕不亮？",
                    "<p>先运行 <code>i2c.scan()</code>，应该能看到地址 60（0x3C）；看不到就检查接线。</p>",
                ),
                step("做成小气象站", "<p>结合上节课的 DHT11，每两秒刷新一次温度和湿度。</p>"),
                question(
                    "I2C 总线需要几根信号线？",
                    ["1 根", "2 根", "4 根"],
                    1,
                    "<p>I2C 只用 SDA（数据）和 SCL（时钟）两根信号线，多个设备可以挂在同一条总线上。</p>",
                ),
            ],
        ),
    ]


def making_lessons():
    laser = picture("激光切割机示意", "激光切割机：激光头在木板上方移动切割", "laser", PURPLE)
    printer = picture("3D 打印机示意", "FDM 3D 打印机逐层挤出熔化的 PLA 材料", "printer", BLUE)
    laser_safety = callout(
        "safety",
        "激光切割安全守则",
        "<p>激光切割机必须在老师在场时使用；工作时不得离开机器，盖好防护盖，不要直视激光；开启排风和烟雾净化器；只切割老师允许的材料（椴木板、亚克力），<b>严禁切割 PVC</b>（会产生有毒氯气）；旁边常备灭火器。</p>",
    )
    printer_safety = callout(
        "safety",
        "小心高温",
        "<p>打印喷嘴温度超过 200℃，热床约 60℃。打印中和刚结束时不要触摸喷嘴和热床，取件前等热床降温，必要时戴隔热手套。</p>",
    )
    glue_safety = callout(
        "safety",
        "热熔胶枪",
        "<p>热熔胶枪的枪嘴和刚挤出的胶都很烫，不用时立在支架上；胶条快用完时不要用手推；被烫到立刻用冷水冲 10 分钟并报告老师。</p>",
    )
    return [
        dict(
            slug="workshop-safety",
            title="创客空间安全与工具认识",
            minutes=40,
            summary="第一次走进创客实践室：认识常用工具和设备，学习安全守则，领取护目镜。",
            objectives="说出激光切割机、3D 打印机、热熔胶枪的主要危险\n知道灭火器、急停按钮和急救箱的位置\n养成用完工具归位的习惯",
            parts=[("safety-goggles", 1), ("heat-gloves", 1)],
            body=[
                step(
                    "参观实践室", "<p>跟着老师认识每一台设备：它能做什么、哪里最危险、谁可以使用。</p>", laser
                ),
                laser_safety,
                printer_safety,
                glue_safety,
                step("安全小测验", "<p>两人一组，互相提问设备的危险点，答对才能领取护目镜。</p>"),
                question(
                    "激光切割时发现材料起火，第一步应该？",
                    ["打开盖子用嘴吹灭", "按下急停按钮并报告老师", "继续切割等它自己灭"],
                    1,
                    "<p>先按急停切断激光，保持盖子关闭以隔绝空气，同时报告老师；必要时使用灭火器。</p>",
                ),
            ],
        ),
        dict(
            slug="vector-design",
            title="矢量图设计入门",
            minutes=80,
            summary="用 LaserMaker 或 Inkscape 画出可以被激光切割的矢量图。",
            objectives="区分位图和矢量图\n知道切割线和雕刻区域的颜色约定\n会画出带文字的名牌",
            parts=[],
            body=[
                step(
                    "位图还是矢量图",
                    "<p>照片由一个个像素组成（位图），放大会模糊；矢量图由线条和曲线组成，激光头沿着线条移动切割。</p>",
                ),
                step(
                    "颜色约定",
                    "<p>我们约定：<b>红色细线</b>表示切穿，<b>黑色填充</b>表示雕刻。线宽设为 0.1 毫米。</p>",
                ),
                step(
                    "画一个名牌",
                    "<p>画一个 80×30 毫米的圆角矩形，在里面写上自己的名字，在左边画一个直径 4 毫米的挂绳孔。</p>",
                    laser,
                ),
                callout(
                    "hint", "文字转曲线", "<p>导出前把文字“转为曲线”，否则换一台电脑打开，字体可能会变。</p>"
                ),
                question(
                    "激光切割机沿着什么移动？",
                    ["像素", "矢量路径", "照片的颜色"],
                    1,
                    "<p>切割和线雕都按矢量路径进行，所以设计文件要用矢量格式（SVG、DXF）。</p>",
                ),
            ],
        ),
        dict(
            slug="laser-nameplate",
            title="激光切割名牌",
            minutes=80,
            summary="把上节课设计的名牌用激光切割机做出来，学会设置功率和速度。",
            objectives="会根据材料选择功率和速度\n会用“试切”确定参数\n能安全地完成一次切割",
            parts=[("laser-cutter-co2", 1), ("plywood-3mm", 1), ("safety-goggles", 1), ("fume-extractor", 1)],
            body=[
                laser_safety,
                step("放置材料", "<p>把 3 毫米椴木板平放在蜂窝台上，用对焦块把激光头高度调好。</p>", laser),
                step(
                    "试切",
                    "<p>先在角落切一个 10 毫米的小方块：功率 60%、速度 15 毫米/秒。切不透就降低速度，边缘焦黑就提高速度。</p>",
                ),
                step(
                    "正式切割",
                    "<p>确认排风已打开、盖子已关好，再开始切割。切割过程中眼睛看着机器，手放在急停按钮附近。</p>",
                ),
                callout(
                    "warning",
                    "取件要等",
                    "<p>切割完成后等 30 秒再开盖，让烟雾被排走；木板边缘可能还有火星。</p>",
                ),
                question(
                    "切割 3 毫米椴木板时边缘焦黑严重，应该怎么调？",
                    ["提高速度或降低功率", "降低速度", "把木板换成 PVC"],
                    0,
                    "<p>焦黑说明单位长度吸收的能量太多，提高速度或降低功率；PVC 严禁激光切割。</p>",
                ),
            ],
        ),
        dict(
            slug="3d-modelling",
            title="3D 建模入门",
            minutes=80,
            summary="用 Tinkercad 搭积木式地建模：一个可以放手机的支架。",
            objectives="会在三维空间里移动、旋转、缩放基本形状\n会用“孔”做减法\n会测量并标注尺寸",
            parts=[("digital-caliper", 1)],
            body=[
                step("量一量手机", "<p>用游标卡尺量出手机的厚度（带手机壳），记在草图上。</p>"),
                step(
                    "搭出底座",
                    "<p>拖入一个 80×60×5 毫米的长方体作为底座，再放一个斜放的长方体作为靠背。</p>",
                    printer,
                ),
                step(
                    "挖出卡槽", "<p>用一个“孔”长方体在底座上挖出比手机厚度宽 1 毫米的卡槽，然后“组合”。</p>"
                ),
                callout(
                    "hint",
                    "留出公差",
                    "<p>3D 打印件会略微变形，卡槽要比实物宽 0.5～1 毫米，否则放不进去。</p>",
                ),
                question(
                    "建模时“孔”的作用是什么？",
                    ["给模型上色", "从其他形状中减去这一部分", "让模型变透明"],
                    1,
                    "<p>把一个形状设为孔，与其他形状组合后，就会从中减去这部分体积。</p>",
                ),
            ],
        ),
        dict(
            slug="3d-printing",
            title="3D 打印手机支架",
            minutes=80,
            summary="把模型切片并打印出来：层高、填充、支撑怎么选。",
            objectives="会导出 STL 并用切片软件切片\n理解层高、填充率和支撑的作用\n能安全地取下打印件并做简单后处理",
            parts=[("fdm-printer", 1), ("pla-filament", 1), ("heat-gloves", 1)],
            body=[
                printer_safety,
                step(
                    "切片",
                    "<p>在切片软件中导入 STL，选择 PLA：层高 0.2 毫米，填充 15%，靠背倾斜超过 45 度时打开支撑。</p>",
                    printer,
                ),
                step(
                    "开始打印",
                    "<p>盯着打印第一层：线条应该均匀地“压扁”在热床上。第一层没粘牢就停下来重新调平。</p>",
                ),
                step(
                    "取件和后处理", "<p>等热床降到 40℃ 以下再取件，用斜口钳小心去掉支撑，用砂纸打磨毛刺。</p>"
                ),
                glue_safety,
                question(
                    "打印件第一层翘边，最可能的原因是？",
                    ["热床没调平或温度太低", "填充率太高", "模型颜色不对"],
                    0,
                    "<p>第一层附着不良通常是调平不好、喷嘴离平台太远或热床温度不够。</p>",
                ),
            ],
        ),
    ]


COURSES = [
    dict(
        slug="first-light",
        title="创客启蒙：点亮第一盏灯",
        level="first-steps",
        stages=["primary", "junior"],
        hours=6,
        summary="从点亮一只 LED 开始，用 ESP32 和 MicroPython 做出会闪、会呼吸、会唱歌的小作品。",
        objectives="认识 ESP32 开发板和面包板\n会用 MicroPython 控制输出和读取输入\n养成先断电再接线的安全习惯",
        tags=["ESP32", "MicroPython", "LED"],
        colour=ORANGE,
        motif="board",
        lessons=first_steps_lessons,
    ),
    dict(
        slug="sensors-and-data",
        title="进阶培训：传感器与数据",
        level="advanced",
        stages=["junior", "senior"],
        hours=8,
        summary="用光敏、温湿度、超声波传感器采集真实数据，学会读数、换算、显示和控制。",
        objectives="理解模拟信号和数字信号\n会使用常见传感器模块并处理读数\n能根据数据控制舵机和显示屏",
        tags=["传感器", "MicroPython", "舵机"],
        colour=TEAL,
        motif="sensor",
        lessons=sensor_lessons,
    ),
    dict(
        slug="laser-and-3d-printing",
        title="手工创造：激光切割与3D打印入门",
        level="hands-on",
        stages=["junior", "senior", "vocational"],
        hours=8,
        summary="在老师指导下安全使用激光切割机和 3D 打印机，从设计图到实物做出名牌和手机支架。",
        objectives="掌握创客实践室的安全守则\n会画矢量图并完成激光切割\n会 3D 建模、切片并打印作品",
        tags=["激光切割", "3D打印", "安全"],
        colour=PURPLE,
        motif="laser",
        lessons=making_lessons,
    ),
]


def _sync_parts(lesson, wanted):
    current = list(lesson.parts.order_by("sort_order").values_list("tool_type__slug", "quantity"))
    if current == [tuple(part) for part in wanted]:
        return False
    lesson.parts = [
        LessonPart(tool_type=ToolType.objects.get(slug=slug), quantity=quantity, sort_order=i)
        for i, (slug, quantity) in enumerate(wanted)
    ]
    return True


def _sync_prerequisites(lesson, previous):
    wanted = [previous.pk] if previous else []
    if list(lesson.prerequisite_links.values_list("prerequisite_id", flat=True)) == wanted:
        return False
    lesson.prerequisite_links = [LessonPrerequisite(prerequisite=previous)] if previous else []
    return True


def _reviewer(context):
    User = get_user_model()
    user, created = User.objects.get_or_create(username="reviewer")
    user.display_name, user.school, user.is_staff = "张组长（教研组）", context.school, False
    if created or not user.check_password(settings.DEMO_PASSWORD):
        user.set_password(settings.DEMO_PASSWORD)
    user.save()
    user.groups.set([role_group(Role.REVIEWER)])
    context.users["reviewer"] = user
    return user


def seed(context):
    Stage.ensure_all()
    index = upsert_child(
        context.home,
        CourseIndexPage,
        "courses",
        title="课程",
        intro="从创客启蒙到创意实践：深圳中小学老师编写的创客课程，按层次和学段查找。",
    )
    ensure_course_publishing([index])
    _reviewer(context)
    teacher = context.users["teacher"]
    programs = set(library.lesson_slugs())
    for spec in COURSES:
        cover = demo_image(
            f"{spec['title']} 封面", spec["summary"], spec["title"], spec["motif"], spec["colour"]
        )
        course = upsert_child(
            index,
            CoursePage,
            spec["slug"],
            title=spec["title"],
            school=context.school,
            summary=spec["summary"],
            level=spec["level"],
            total_hours=spec["hours"],
            objectives=spec["objectives"],
            cover_image=cover,
        )
        changed = False
        if sorted(course.stages.values_list("slug", flat=True)) != sorted(spec["stages"]):
            course.stages = list(Stage.objects.filter(slug__in=spec["stages"]))
            changed = True
        if list(course.authors.values_list("pk", flat=True)) != [teacher.pk]:
            course.authors = [teacher]
            changed = True
        if sorted(course.tags.names()) != sorted(spec["tags"]):
            course.tags.set(spec["tags"], clear=True)
            changed = True
        if changed:
            course.save_revision().publish()
        previous = None
        for lesson_spec in spec["lessons"]():
            program = lesson_spec.get("program", "")
            program = program if program in programs else ""
            lesson = upsert_child(
                course,
                LessonPage,
                lesson_spec["slug"],
                title=lesson_spec["title"],
                summary=lesson_spec["summary"],
                duration_minutes=lesson_spec["minutes"],
                objectives=lesson_spec["objectives"],
                program=program,
                body=lesson_spec["body"],
            )
            parts = lesson_spec.get("parts")
            if parts is None:
                parts = library.load_lesson(program).parts if program else []
            if _sync_parts(lesson, parts) | _sync_prerequisites(lesson, previous):
                lesson.save_revision().publish()
            previous = lesson
        context.log.append(f"  课程 Course: {course.title} ({course.get_children().count()} 课)")
    publish_if_changed(index)
