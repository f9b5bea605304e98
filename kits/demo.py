"""Demo inventory: the demo school's maker room with its 100万 grant, about 60 purchases of real
tool types at real prices, 20 ESP32 kits, loans and a reservation; two more schools so the city
report has something to compare; a city coordinator account. Idempotent: a second run changes nothing."""

from datetime import date, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from makerroom.core.models import School, SchoolStage
from makerroom.core.roles import Role, role_group

from . import catalogue, services
from .models import (
    FundingProgramme,
    Grant,
    GrantStatus,
    Kit,
    KitTemplate,
    KitTemplateItem,
    Loan,
    MakerRoom,
    Purchase,
    Reservation,
    Stock,
    ToolCategory,
    ToolType,
)

SUPPLIERS = {
    "printing": ("深圳市拓竹科技有限公司", "2544200000001"),
    "laser": ("深圳市大族激光科技股份有限公司", "2544200000002"),
    "electronics": ("深圳市华强北乐鑫电子商行", "2544200000003"),
    "instruments": ("深圳市福田区鑫达电子仪器店", "2544200000004"),
    "tools": ("深圳市宝安区工匠五金工具店", "2544200000005"),
    "safety": ("深圳市安防消防器材有限公司", "2544200000006"),
}

# (date, supplier key, tool slug, quantity, unit cost): the first two school years of the room.
PURCHASES = [
    ("2025-09-12", "laser", "laser-cutter-co2", 1, "26800.00"),
    ("2025-09-12", "laser", "fume-extractor", 1, "3600.00"),
    ("2025-09-12", "safety", "fire-extinguisher-co2", 2, "198.00"),
    ("2025-09-15", "printing", "fdm-printer", 8, "4999.00"),
    ("2025-09-15", "printing", "fdm-printer-large", 1, "12800.00"),
    ("2025-09-15", "printing", "pla-filament", 40, "69.00"),
    ("2025-09-15", "printing", "petg-filament", 10, "79.00"),
    ("2025-09-18", "printing", "resin-printer", 1, "3299.00"),
    ("2025-09-18", "printing", "resin-standard", 4, "159.00"),
    ("2025-09-18", "printing", "3d-scanner", 1, "8999.00"),
    ("2025-09-20", "laser", "laser-engraver-diode", 2, "2899.00"),
    ("2025-09-20", "laser", "plywood-3mm", 200, "12.00"),
    ("2025-09-20", "laser", "acrylic-3mm", 60, "38.00"),
    ("2025-09-22", "instruments", "soldering-station", 12, "398.00"),
    ("2025-09-22", "instruments", "hot-air-station", 2, "560.00"),
    ("2025-09-22", "instruments", "helping-hands", 12, "49.00"),
    ("2025-09-22", "electronics", "solder-wire", 12, "45.00"),
    ("2025-09-22", "electronics", "flux-paste", 6, "18.00"),
    ("2025-09-25", "instruments", "multimeter", 24, "189.00"),
    ("2025-09-25", "instruments", "oscilloscope", 4, "2680.00"),
    ("2025-09-25", "instruments", "bench-power-supply", 6, "499.00"),
    ("2025-09-25", "instruments", "logic-analyzer", 6, "128.00"),
    ("2025-09-25", "instruments", "digital-caliper", 8, "129.00"),
    ("2025-10-09", "electronics", "esp32-devkit", 60, "35.00"),
    ("2025-10-09", "electronics", "usb-cable", 60, "8.00"),
    ("2025-10-09", "electronics", "breadboard", 60, "9.50"),
    ("2025-10-09", "electronics", "jumper-wire", 2000, "0.15"),
    ("2025-10-09", "electronics", "led-red", 1000, "0.10"),
    ("2025-10-09", "electronics", "led-yellow", 500, "0.10"),
    ("2025-10-09", "electronics", "led-green", 500, "0.10"),
    ("2025-10-09", "electronics", "resistor-220", 2000, "0.05"),
    ("2025-10-09", "electronics", "resistor-10k", 1000, "0.05"),
    ("2025-10-09", "electronics", "push-button", 300, "0.20"),
    ("2025-10-09", "electronics", "buzzer-passive", 60, "1.20"),
    ("2025-10-09", "electronics", "potentiometer-10k", 60, "1.50"),
    ("2025-10-09", "electronics", "ldr", 100, "0.30"),
    ("2025-10-16", "electronics", "dht11", 40, "6.50"),
    ("2025-10-16", "electronics", "hc-sr04", 40, "5.80"),
    ("2025-10-16", "electronics", "sg90-servo", 60, "7.50"),
    ("2025-10-16", "electronics", "ws2812-ring", 30, "9.80"),
    ("2025-10-16", "electronics", "ssd1306-oled", 30, "12.50"),
    ("2025-10-16", "electronics", "arduino-uno", 20, "89.00"),
    ("2025-10-20", "electronics", "raspberry-pi-4b", 6, "499.00"),
    ("2025-10-23", "tools", "screwdriver-set", 12, "79.00"),
    ("2025-10-23", "tools", "wire-stripper", 12, "36.00"),
    ("2025-10-23", "tools", "diagonal-cutter", 12, "25.00"),
    ("2025-10-23", "tools", "cordless-drill", 2, "399.00"),
    ("2025-10-23", "tools", "craft-knife-set", 12, "29.00"),
    ("2025-10-23", "tools", "cutting-mat", 12, "28.00"),
    ("2025-10-23", "tools", "glue-gun", 8, "35.00"),
    ("2025-10-28", "safety", "safety-goggles", 40, "15.00"),
    ("2025-10-28", "safety", "first-aid-kit", 1, "168.00"),
    ("2025-10-28", "safety", "esd-mat", 6, "85.00"),
    ("2025-10-28", "safety", "heat-gloves", 12, "22.00"),
    ("2025-10-28", "safety", "esd-wrist-strap", 24, "8.00"),
    ("2025-11-04", "tools", "heat-shrink-tube", 6, "15.00"),
    ("2025-11-04", "tools", "hot-glue-sticks", 20, "12.00"),
    ("2025-11-04", "tools", "aa-battery", 120, "1.50"),
    ("2025-11-04", "tools", "sandpaper-assorted", 10, "19.90"),
    ("2026-03-03", "printing", "pla-filament", 30, "69.00"),
    ("2026-03-03", "electronics", "esp32-devkit", 20, "35.00"),
]

LOW_STOCK = {"pla-filament": 10, "esp32-devkit": 10, "led-red": 100, "jumper-wire": 200, "solder-wire": 3}

STARTER_KIT = [
    ("esp32-devkit", 1),
    ("usb-cable", 1),
    ("breadboard", 1),
    ("jumper-wire", 20),
    ("led-red", 4),
    ("led-yellow", 2),
    ("led-green", 2),
    ("resistor-220", 10),
    ("resistor-10k", 4),
    ("push-button", 4),
    ("buzzer-passive", 1),
    ("potentiometer-10k", 1),
    ("ldr", 1),
    ("dht11", 1),
    ("hc-sr04", 1),
    ("sg90-servo", 1),
    ("ws2812-ring", 1),
    ("ssd1306-oled", 1),
]

OTHER_SCHOOLS = [
    # code, name, district, stage, address, approved, purchases [(slug, qty, unit cost)]
    (
        "SZ-0345",
        "深圳市福田区红岭实验小学",
        "福田区",
        SchoolStage.PRIMARY,
        "深圳市福田区红荔路 2008 号",
        "600000.00",
        [("fdm-printer", 6, "4999.00"), ("esp32-devkit", 50, "35.00"), ("safety-goggles", 50, "15.00")],
    ),
    (
        "SZ-0588",
        "深圳市龙岗区平安里学校",
        "龙岗区",
        SchoolStage.JUNIOR,
        "深圳市龙岗区龙城街道平安里",
        "1000000.00",
        [
            ("laser-cutter-co2", 2, "26800.00"),
            ("soldering-station", 20, "398.00"),
            ("oscilloscope", 8, "2680.00"),
        ],
    ),
]


def seed(context):
    catalogue.sync_catalogue(
        ToolCategory, ToolType
    )  # migrations made them; a flushed test database lost them
    catalogue.sync_programmes(FundingProgramme)
    programme = FundingProgramme.objects.get(slug="maker-room")
    school, users = context.school, context.users
    labstaff = users["labstaff"]

    room = _room(
        school, "科技楼 3 楼 301–302", "周一至周五 8:00–17:30，周三下午开放日", "王老师", "0755-2661 3012"
    )
    grant = _grant(room, programme, "1000000.00", "深科创〔2025〕112号", users["admin"])
    if not grant.purchases.exists():
        invoices = set()  # one invoice per supplier and day: its second line on is 同一发票续行
        for day, supplier, slug, quantity, unit_cost in PURCHASES:
            name, invoice_prefix = SUPPLIERS[supplier]
            invoice = f"{invoice_prefix}{date.fromisoformat(day):%m%d}"
            services.record_purchase(
                grant=grant,
                tool_type=ToolType.objects.get(slug=slug),
                quantity=quantity,
                unit_cost=unit_cost,
                supplier=name,
                invoice_number=invoice,
                purchased_on=date.fromisoformat(day),
                user=labstaff,
                location=_shelf(slug),
                continues_invoice=invoice in invoices,
            )
            invoices.add(invoice)
    for slug, threshold in LOW_STOCK.items():
        Stock.objects.filter(room=room, tool_type__slug=slug).update(low_stock_threshold=threshold)

    template = _template(
        "ESP32 入门套件", "配合 MicroPython 课例使用：开发板、面包板和 18 种常用元件，一人一套。", STARTER_KIT
    )
    kits = [
        Kit.objects.get_or_create(
            code=f"{school.code}-K{n:02d}", defaults={"school": school, "room": room, "template": template}
        )[0]
        for n in range(1, 21)
    ]
    if not Loan.objects.filter(school=school).exists():
        _loans(kits, users, school, labstaff)
    _reservation(room, users["teacher"])

    coordinator = _coordinator()
    users["coordinator"] = coordinator
    for code, name, district, stage, address, approved, lines in OTHER_SCHOOLS:
        other, _ = School.objects.update_or_create(
            code=code, defaults={"name": name, "district": district, "stage": stage, "address": address}
        )
        other_room = _room(other, "创客实践室", "", "", "")
        other_grant = _grant(other_room, programme, approved, f"深科创〔2025〕{code[-3:]}号", users["admin"])
        if not other_grant.purchases.exists():
            for n, (slug, quantity, unit_cost) in enumerate(lines):
                services.record_purchase(
                    grant=other_grant,
                    tool_type=ToolType.objects.get(slug=slug),
                    quantity=quantity,
                    unit_cost=unit_cost,
                    supplier="深圳市教育装备供应中心",
                    invoice_number=f"2544200{code[-4:]}01",
                    purchased_on=date(2025, 11, 20),
                    user=users["admin"],
                    continues_invoice=n > 0,  # one invoice with several lines
                )
    grant.refresh_from_db()
    context.log.append(
        f"器材：{school.name} 资助 ¥{grant.approved_amount:,.2f}，已使用 ¥{grant.charged:,.2f}，"
        f"{Purchase.objects.filter(grant=grant).count()} 条采购，{len(kits)} 个套件；市级统筹员账号 coordinator"
    )


def _room(school, location, hours, contact, phone):
    room, _ = MakerRoom.objects.update_or_create(
        school=school,
        name="创客实践室",
        defaults={
            "location": location,
            "opening_hours": hours,
            "contact_name": contact,
            "contact_phone": phone,
            "description": "配备 3D 打印、激光切割、电子焊接和测量仪器，承担全校创客课程与社团活动。"
            if contact
            else "",
        },
    )
    return room


def _grant(room, programme, approved, reference, user):
    grant = Grant.objects.filter(room=room, programme=programme, reference=reference).first()
    if grant is None:  # through the service: the cap is checked and the grant's history starts
        grant = services.save_grant(
            Grant(
                room=room,
                programme=programme,
                reference=reference,
                approved_amount=Decimal(approved),
                starts_on=date(2025, 9, 1),
                ends_on=date(2027, 8, 31),
                status=GrantStatus.APPROVED,
            ),
            user=user,
        )
    return grant


def _shelf(slug):
    tool = ToolType.objects.only("category__slug").select_related("category").get(slug=slug)
    return {
        "3d-printing": "打印区",
        "laser-cutting": "激光切割间",
        "soldering": "焊接台",
        "measuring": "仪器柜 A",
        "hand-tools": "工具墙",
        "safety": "门口安全柜",
    }.get(tool.category.slug, "器材柜")


def _template(name, description, items):
    template, _ = KitTemplate.objects.update_or_create(name=name, defaults={"description": description})
    for order, (slug, quantity) in enumerate(items):
        KitTemplateItem.objects.update_or_create(
            template=template,
            tool_type=ToolType.objects.get(slug=slug),
            defaults={"quantity": quantity, "sort_order": order},
        )
    return template


def _loans(kits, users, school, labstaff):
    today = timezone.localdate()
    student, teacher = users["student"], users["teacher"]
    returned = services.lend(
        kit=kits[0], borrower_kind="student", borrower=student, due_on=today, user=labstaff
    )
    services.return_loan(
        returned,
        user=labstaff,
        missing={"led-red": 1, "jumper-wire": 3},
        notes="LED 和杜邦线在社团活动中遗失",
    )
    services.lend(
        kit=kits[2],
        borrower_kind="student",
        borrower=student,
        due_on=today + timedelta(days=7),
        user=labstaff,
    )
    services.lend(
        kit=kits[4],
        borrower_kind="class",
        class_name="初二（3）班",
        due_on=today + timedelta(days=3),
        user=labstaff,
    )
    meter = school.rooms.get().assets.filter(tool_type__slug="multimeter").order_by("tag").first()
    services.lend(
        asset=meter,
        borrower_kind="teacher",
        borrower=teacher,
        due_on=today + timedelta(days=14),
        user=labstaff,
    )


def _reservation(room, teacher):
    day = timezone.localdate() + timedelta(days=7)
    if not Reservation.objects.filter(room=room, class_name="初一（2）班", date=day).exists():
        services.reserve(
            room=room,
            teacher=teacher,
            class_name="初一（2）班",
            day=day,
            starts_at=time(14, 0),
            ends_at=time(14, 40),
            kit_count=12,
            purpose="第 3 课：红绿灯",
            user=teacher,
        )


def _coordinator():
    user, created = get_user_model().objects.get_or_create(
        username="coordinator", defaults={"display_name": "市教育局创客教育统筹员"}
    )
    if created or not user.check_password(settings.DEMO_PASSWORD):
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    user.groups.set([role_group(Role.CITY_COORDINATOR)])
    return user
