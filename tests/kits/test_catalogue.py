from decimal import Decimal

import pytest

from kits.models import ToolCategory, ToolKind, ToolType

pytestmark = pytest.mark.django_db

# Fixed in SHARED_NAMES.md: lesson parts lists refer to these slugs.
LESSON_PART_SLUGS = {
    "esp32-devkit": "ESP32 开发板",
    "usb-cable": "USB 数据线",
    "breadboard": "面包板",
    "jumper-wire": "杜邦线",
    "led-red": "红色 LED",
    "led-yellow": "黄色 LED",
    "led-green": "绿色 LED",
    "resistor-220": "220Ω 电阻",
    "resistor-10k": "10kΩ 电阻",
    "push-button": "轻触按键",
    "buzzer-passive": "无源蜂鸣器",
    "potentiometer-10k": "10kΩ 电位器",
    "ldr": "光敏电阻",
    "dht11": "DHT11 温湿度传感器",
    "hc-sr04": "HC-SR04 超声波测距模块",
    "sg90-servo": "SG90 舵机",
    "ws2812-ring": "WS2812 彩灯环",
    "ssd1306-oled": "0.96 寸 OLED 显示屏 SSD1306",
}


def test_migration_ships_every_lesson_part_with_its_chinese_name():
    names = dict(ToolType.objects.filter(slug__in=LESSON_PART_SLUGS).values_list("slug", "name"))
    assert names == LESSON_PART_SLUGS


def test_migration_ships_the_eight_categories_of_the_issue():
    assert list(ToolCategory.objects.values_list("name", flat=True)) == [
        "3D打印",
        "激光切割",
        "电子焊接",
        "测量仪器",
        "开发板与传感器",
        "手工工具",
        "安全防护",
        "耗材",
    ]
    # Every category has tool types to buy.
    assert not ToolCategory.objects.filter(tool_types__isnull=True).exists()


def test_prices_are_decimal_cny_and_plausible():
    for tool in ToolType.objects.all():
        assert isinstance(tool.reference_price, Decimal)
        assert tool.reference_price == tool.reference_price.quantize(Decimal("0.01"))
        assert Decimal("0") < tool.reference_price < Decimal("100000"), tool.slug
        assert tool.unit and tool.name_en


def test_machines_are_durable_and_parts_are_stock():
    kinds = dict(ToolType.objects.values_list("slug", "kind"))
    assert kinds["laser-cutter-co2"] == ToolKind.DURABLE
    assert kinds["fdm-printer"] == ToolKind.DURABLE
    assert kinds["led-red"] == ToolKind.CONSUMABLE
    assert kinds["pla-filament"] == ToolKind.CONSUMABLE
    # Dangerous machines carry safety notes for the lab.
    assert "灭火器" in ToolType.objects.get(slug="laser-cutter-co2").safety_notes


def test_loading_the_catalogue_again_changes_nothing():
    from kits.catalogue import sync_catalogue

    before = list(ToolType.objects.order_by("pk").values())
    sync_catalogue(ToolCategory, ToolType)
    assert list(ToolType.objects.order_by("pk").values()) == before
