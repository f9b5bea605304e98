"""The city's tool catalogue: categories and tool types every maker room buys from.

Data migrations load it (so it exists on every database, test databases included) and the demo
seed re-loads it after a flush. `sync_catalogue` only touches the fields the catalogue migration
knows, so historical models can use it. Prices are typical 2026 CNY retail prices incl. VAT.
"""

from decimal import Decimal

D = Decimal
DURABLE = "durable"
CONSUMABLE = "consumable"

# slug, name, English name
CATEGORIES = [
    ("3d-printing", "3D打印", "3D printing"),
    ("laser-cutting", "激光切割", "Laser cutting"),
    ("soldering", "电子焊接", "Electronics and soldering"),
    ("measuring", "测量仪器", "Measuring instruments"),
    ("boards-sensors", "开发板与传感器", "Boards and sensors"),
    ("hand-tools", "手工工具", "Hand tools"),
    ("safety", "安全防护", "Safety equipment"),
    ("consumables", "耗材", "Consumables"),
]

LASER_SAFETY = (
    "必须在教师在场时使用；开机前确认排风与烟雾净化器已开启；切割过程中不得离开设备；"
    "禁止切割 PVC、含氯塑料和镜面材料；旁边常备二氧化碳灭火器。"
)
PRINTER_SAFETY = "喷嘴和热床工作温度超过 200℃，打印中和刚结束时不要用手触摸；取件等热床降温后进行。"
SOLDER_SAFETY = "烙铁头温度约 350℃，用完放回烙铁架；佩戴护目镜，在通风处焊接；焊接后洗手；离开前关闭电源。"
RESIN_SAFETY = "树脂未固化前对皮肤有刺激，操作时戴丁腈手套和护目镜，通风良好；废液不得倒入下水道。"

# category slug, slug, name, English name, unit, reference price, kind, safety notes
TOOL_TYPES = [
    # 3D 打印
    (
        "3d-printing",
        "fdm-printer",
        "桌面级 FDM 3D 打印机（256×256×256mm）",
        "Desktop FDM 3D printer",
        "台",
        D("4999.00"),
        DURABLE,
        PRINTER_SAFETY,
    ),
    (
        "3d-printing",
        "fdm-printer-large",
        "大幅面 FDM 3D 打印机（350×350×400mm）",
        "Large-format FDM 3D printer",
        "台",
        D("12800.00"),
        DURABLE,
        PRINTER_SAFETY,
    ),
    (
        "3d-printing",
        "resin-printer",
        "光固化 3D 打印机",
        "Resin (MSLA) 3D printer",
        "台",
        D("3299.00"),
        DURABLE,
        RESIN_SAFETY,
    ),
    (
        "3d-printing",
        "3d-scanner",
        "手持式 3D 扫描仪",
        "Handheld 3D scanner",
        "台",
        D("8999.00"),
        DURABLE,
        "不要将激光/结构光对准眼睛。",
    ),
    (
        "3d-printing",
        "pla-filament",
        "PLA 打印耗材 1.75mm（1kg）",
        "PLA filament 1.75 mm, 1 kg",
        "卷",
        D("69.00"),
        CONSUMABLE,
        "",
    ),
    (
        "3d-printing",
        "petg-filament",
        "PETG 打印耗材 1.75mm（1kg）",
        "PETG filament 1.75 mm, 1 kg",
        "卷",
        D("79.00"),
        CONSUMABLE,
        "",
    ),
    (
        "3d-printing",
        "resin-standard",
        "标准光敏树脂（1kg）",
        "Standard photopolymer resin, 1 kg",
        "瓶",
        D("159.00"),
        CONSUMABLE,
        RESIN_SAFETY,
    ),
    # 激光切割
    (
        "laser-cutting",
        "laser-cutter-co2",
        "CO2 激光切割机（60W，600×400mm）",
        "CO2 laser cutter 60 W",
        "台",
        D("26800.00"),
        DURABLE,
        LASER_SAFETY,
    ),
    (
        "laser-cutting",
        "laser-engraver-diode",
        "桌面半导体激光雕刻机（10W）",
        "Desktop diode laser engraver 10 W",
        "台",
        D("2899.00"),
        DURABLE,
        LASER_SAFETY,
    ),
    (
        "laser-cutting",
        "fume-extractor",
        "激光烟雾净化器",
        "Laser fume extractor",
        "台",
        D("3600.00"),
        DURABLE,
        "定期更换滤芯；滤芯饱和时不得继续切割。",
    ),
    (
        "laser-cutting",
        "plywood-3mm",
        "3mm 椴木层板（600×400mm）",
        "3 mm basswood plywood 600×400",
        "张",
        D("12.00"),
        CONSUMABLE,
        "",
    ),
    (
        "laser-cutting",
        "acrylic-3mm",
        "3mm 亚克力板（600×400mm）",
        "3 mm acrylic sheet 600×400",
        "张",
        D("38.00"),
        CONSUMABLE,
        "",
    ),
    # 电子焊接
    (
        "soldering",
        "soldering-station",
        "恒温电焊台（60W）",
        "Temperature-controlled soldering station 60 W",
        "台",
        D("398.00"),
        DURABLE,
        SOLDER_SAFETY,
    ),
    (
        "soldering",
        "hot-air-station",
        "热风拆焊台",
        "Hot-air rework station",
        "台",
        D("560.00"),
        DURABLE,
        SOLDER_SAFETY,
    ),
    (
        "soldering",
        "helping-hands",
        "焊接辅助夹（带放大镜）",
        "Helping hands with magnifier",
        "个",
        D("49.00"),
        DURABLE,
        "",
    ),
    (
        "soldering",
        "glue-gun",
        "热熔胶枪（20W）",
        "Hot glue gun 20 W",
        "把",
        D("35.00"),
        DURABLE,
        "枪嘴和胶水很烫，放在支架上，不用时拔掉电源。",
    ),
    (
        "soldering",
        "solder-wire",
        "无铅焊锡丝 0.8mm（100g）",
        "Lead-free solder wire 0.8 mm, 100 g",
        "卷",
        D("45.00"),
        CONSUMABLE,
        "焊锡烟雾有害，在通风处使用。",
    ),
    ("soldering", "flux-paste", "助焊膏", "Flux paste", "盒", D("18.00"), CONSUMABLE, ""),
    # 测量仪器
    (
        "measuring",
        "multimeter",
        "数字万用表",
        "Digital multimeter",
        "台",
        D("189.00"),
        DURABLE,
        "测量前确认档位；只测低压电路，禁止测量市电。",
    ),
    (
        "measuring",
        "oscilloscope",
        "双通道数字示波器（100MHz）",
        "Two-channel digital oscilloscope 100 MHz",
        "台",
        D("2680.00"),
        DURABLE,
        "",
    ),
    (
        "measuring",
        "bench-power-supply",
        "直流稳压电源（30V/5A）",
        "Bench DC power supply 30 V / 5 A",
        "台",
        D("499.00"),
        DURABLE,
        "先调好电压和限流再接电路。",
    ),
    (
        "measuring",
        "logic-analyzer",
        "USB 逻辑分析仪（8 通道）",
        "USB logic analyser, 8 channels",
        "个",
        D("128.00"),
        DURABLE,
        "",
    ),
    (
        "measuring",
        "digital-caliper",
        "数显游标卡尺（150mm）",
        "Digital caliper 150 mm",
        "把",
        D("129.00"),
        DURABLE,
        "",
    ),
    # 开发板与传感器 (slugs used by lesson parts lists are fixed, see SHARED_NAMES.md)
    (
        "boards-sensors",
        "esp32-devkit",
        "ESP32 开发板",
        "ESP32 development board",
        "块",
        D("35.00"),
        CONSUMABLE,
        "",
    ),
    ("boards-sensors", "usb-cable", "USB 数据线", "USB data cable", "根", D("8.00"), CONSUMABLE, ""),
    ("boards-sensors", "breadboard", "面包板", "Solderless breadboard", "块", D("9.50"), CONSUMABLE, ""),
    ("boards-sensors", "jumper-wire", "杜邦线", "Jumper wire", "根", D("0.15"), CONSUMABLE, ""),
    ("boards-sensors", "led-red", "红色 LED", "Red LED 5 mm", "个", D("0.10"), CONSUMABLE, ""),
    ("boards-sensors", "led-yellow", "黄色 LED", "Yellow LED 5 mm", "个", D("0.10"), CONSUMABLE, ""),
    ("boards-sensors", "led-green", "绿色 LED", "Green LED 5 mm", "个", D("0.10"), CONSUMABLE, ""),
    ("boards-sensors", "resistor-220", "220Ω 电阻", "220 Ω resistor", "个", D("0.05"), CONSUMABLE, ""),
    ("boards-sensors", "resistor-10k", "10kΩ 电阻", "10 kΩ resistor", "个", D("0.05"), CONSUMABLE, ""),
    ("boards-sensors", "push-button", "轻触按键", "Tactile push button", "个", D("0.20"), CONSUMABLE, ""),
    ("boards-sensors", "buzzer-passive", "无源蜂鸣器", "Passive buzzer", "个", D("1.20"), CONSUMABLE, ""),
    (
        "boards-sensors",
        "potentiometer-10k",
        "10kΩ 电位器",
        "10 kΩ potentiometer",
        "个",
        D("1.50"),
        CONSUMABLE,
        "",
    ),
    ("boards-sensors", "ldr", "光敏电阻", "Light-dependent resistor", "个", D("0.30"), CONSUMABLE, ""),
    (
        "boards-sensors",
        "dht11",
        "DHT11 温湿度传感器",
        "DHT11 temperature and humidity sensor",
        "个",
        D("6.50"),
        CONSUMABLE,
        "",
    ),
    (
        "boards-sensors",
        "hc-sr04",
        "HC-SR04 超声波测距模块",
        "HC-SR04 ultrasonic distance sensor",
        "个",
        D("5.80"),
        CONSUMABLE,
        "",
    ),
    (
        "boards-sensors",
        "sg90-servo",
        "SG90 舵机",
        "SG90 micro servo",
        "个",
        D("7.50"),
        CONSUMABLE,
        "不要用手强行转动舵机输出轴。",
    ),
    (
        "boards-sensors",
        "ws2812-ring",
        "WS2812 彩灯环",
        "WS2812 RGB LED ring (12 LEDs)",
        "个",
        D("9.80"),
        CONSUMABLE,
        "全亮白光时电流较大，亮度不要长时间开到最大，不要直视。",
    ),
    (
        "boards-sensors",
        "ssd1306-oled",
        "0.96 寸 OLED 显示屏 SSD1306",
        '0.96" OLED display SSD1306',
        "块",
        D("12.50"),
        CONSUMABLE,
        "",
    ),
    (
        "boards-sensors",
        "arduino-uno",
        "Arduino UNO R3 开发板",
        "Arduino UNO R3",
        "块",
        D("89.00"),
        CONSUMABLE,
        "",
    ),
    (
        "boards-sensors",
        "raspberry-pi-4b",
        "树莓派 4B（4GB）",
        "Raspberry Pi 4 Model B 4 GB",
        "台",
        D("499.00"),
        DURABLE,
        "",
    ),
    # 手工工具
    (
        "hand-tools",
        "screwdriver-set",
        "精密螺丝刀套装",
        "Precision screwdriver set",
        "套",
        D("79.00"),
        DURABLE,
        "",
    ),
    ("hand-tools", "wire-stripper", "剥线钳", "Wire stripper", "把", D("36.00"), DURABLE, ""),
    (
        "hand-tools",
        "diagonal-cutter",
        "斜口钳",
        "Diagonal cutter",
        "把",
        D("25.00"),
        DURABLE,
        "剪线时线头朝下，防止飞溅。",
    ),
    (
        "hand-tools",
        "cordless-drill",
        "锂电手电钻（12V）",
        "Cordless drill 12 V",
        "台",
        D("399.00"),
        DURABLE,
        "佩戴护目镜，长发扎起，工件必须夹紧。",
    ),
    (
        "hand-tools",
        "craft-knife-set",
        "雕刻刀套装",
        "Craft knife set",
        "套",
        D("29.00"),
        DURABLE,
        "刀口向外，切割时使用切割垫，用后收回刀片。",
    ),
    ("hand-tools", "cutting-mat", "A3 切割垫", "A3 cutting mat", "张", D("28.00"), DURABLE, ""),
    # 安全防护
    ("safety", "safety-goggles", "防护眼镜", "Safety goggles", "副", D("15.00"), DURABLE, ""),
    (
        "safety",
        "fire-extinguisher-co2",
        "二氧化碳灭火器（3kg）",
        "CO2 fire extinguisher 3 kg",
        "具",
        D("198.00"),
        DURABLE,
        "每月检查压力；放在激光切割机附近显眼处。",
    ),
    (
        "safety",
        "first-aid-kit",
        "急救箱",
        "First-aid kit",
        "个",
        D("168.00"),
        DURABLE,
        "每学期检查药品有效期。",
    ),
    ("safety", "esd-mat", "防静电台垫（600×1200mm）", "ESD bench mat", "张", D("85.00"), DURABLE, ""),
    ("safety", "heat-gloves", "隔热手套", "Heat-resistant gloves", "副", D("22.00"), CONSUMABLE, ""),
    ("safety", "esd-wrist-strap", "防静电手环", "ESD wrist strap", "个", D("8.00"), CONSUMABLE, ""),
    # 耗材
    (
        "consumables",
        "heat-shrink-tube",
        "热缩管套装",
        "Heat-shrink tubing assortment",
        "盒",
        D("15.00"),
        CONSUMABLE,
        "",
    ),
    (
        "consumables",
        "hot-glue-sticks",
        "热熔胶棒（7mm，30 支）",
        "Hot glue sticks 7 mm, 30 pcs",
        "包",
        D("12.00"),
        CONSUMABLE,
        "",
    ),
    ("consumables", "aa-battery", "5 号碱性电池", "AA alkaline battery", "节", D("1.50"), CONSUMABLE, ""),
    (
        "consumables",
        "sandpaper-assorted",
        "砂纸套装（80–2000 目）",
        "Assorted sandpaper",
        "套",
        D("19.90"),
        CONSUMABLE,
        "",
    ),
]


# Funding programmes and their caps, from the Shenzhen Science and Technology Innovation
# Commission's 2015 reply (seeds/001_*.txt): slug, name, cap, rule; the 创客实践室 cap is per school.
PROGRAMMES = [
    (
        "maker-room",
        "创客实践室",
        D("1000000.00"),
        "高等院校、技工院校、中小学建设创客实践室，最高 100 万元资助",
    ),
    (
        "shared-equipment",
        "公共软件/开发工具/公用设备",
        D("3000000.00"),
        "用于创客服务的公共软件、开发工具和公用设备，不超过购置费用，最高 300 万元资助",
    ),
    (
        "maker-project",
        "创客个人/团队项目",
        D("500000.00"),
        "创客个人、创客团队创新研究项目，最高 50 万元资助",
    ),
]


PER_SCHOOL = {"maker-room"}


def sync_programmes(FundingProgramme):
    # Older migrations call this with a historical model that has no cap_applies yet.
    has_scope = any(f.name == "cap_applies" for f in FundingProgramme._meta.get_fields())
    for slug, name, cap, rule in PROGRAMMES:
        defaults = {"name": name, "cap": cap, "rule": rule, "max_subsidy_rate": D("1.00")}
        if has_scope:
            defaults["cap_applies"] = "school" if slug in PER_SCHOOL else "grant"
        FundingProgramme.objects.update_or_create(slug=slug, defaults=defaults)


def sync_catalogue(ToolCategory, ToolType):
    """Create or update every category and tool type by slug (idempotent)."""
    categories = {}
    for order, (slug, name, name_en) in enumerate(CATEGORIES):
        categories[slug], _ = ToolCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    for category, slug, name, name_en, unit, price, kind, safety in TOOL_TYPES:
        ToolType.objects.update_or_create(
            slug=slug,
            defaults={
                "category": categories[category],
                "name": name,
                "name_en": name_en,
                "unit": unit,
                "reference_price": price,
                "kind": kind,
                "safety_notes": safety,
            },
        )
