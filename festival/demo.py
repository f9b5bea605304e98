"""Demo festival: the 创客节 index, a past edition (2025) judged, awarded and published with
generated photos, and the current edition (2026) open for registration. Idempotent."""

import hashlib
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from makerroom.core import roles
from makerroom.core.demo import upsert_child
from makerroom.core.models import School, SchoolStage
from PIL import Image, ImageDraw, ImageFont
from wagtail.models import GroupPagePermission

from . import judging, services
from .models import (
    AgeGroup,
    Assignment,
    AwardKind,
    AwardLevel,
    Category,
    Criterion,
    Entry,
    EventKind,
    FestivalEditionPage,
    FestivalIndexPage,
    Judge,
    ScheduleItem,
)

TZ = ZoneInfo("Asia/Shanghai")
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

INDEX_INTRO = (
    "<p>《深圳市促进创客发展三年行动计划（2015—2017年）》提出：每年举办<b>深圳学生创客节</b>，"
    "展示学生创新发明成果，表彰优秀作品。这里是历届创客节的作品展和报名入口。</p>"
)
RULES = (
    "<h3>参赛对象</h3><p>全市小学、初中、高中和中职学校在校学生，以 1–5 人团队参赛，每队须有一名本校指导老师。</p>"
    "<h3>作品要求</h3><ul><li>作品须为学生原创，不得购买成品参赛；</li><li>须提交作品说明、制作过程和不少于一张照片；</li>"
    "<li>作品以开源许可发布（如 CC BY-SA 4.0、MIT），鼓励公开代码和图纸。</li></ul>"
    "<h3>评审</h3><p>每件作品由至少三位评委按评分细则独立打分，评委回避本人所在及有关联的学校；"
    "各评委的分数经标准化（z 分数）后取平均，按类别和组别排名。</p>"
)

CATEGORIES = [
    ("智能硬件", "Smart hardware", "传感器、执行器和开发板做成的实用装置"),
    ("机器人", "Robotics", "能感知、决策和运动的机器人"),
    ("创意设计", "Creative design", "结构、外观与交互的创意设计"),
    ("科学探究", "Scientific inquiry", "用自制仪器探究科学问题"),
    ("编程与物联网", "Programming and IoT", "联网采集、分析和控制"),
]
AGE_GROUPS = [
    ("小学", SchoolStage.PRIMARY, 1, 6),
    ("初中", SchoolStage.JUNIOR, 7, 9),
    ("高中", SchoolStage.SENIOR, 10, 12),
    ("中职", SchoolStage.VOCATIONAL, 10, 12),
]
AWARDS = [
    ("一等奖", AwardKind.RANKED, 1, None),
    ("二等奖", AwardKind.RANKED, 1, None),
    ("三等奖", AwardKind.RANKED, None, Decimal("20")),
    ("优秀奖", AwardKind.RANKED, None, Decimal("30")),
    ("最佳创意奖", AwardKind.SPECIAL, 1, None),
]
CRITERIA = [
    ("创新性", "想法是否新颖，是否解决了身边的真实问题", Decimal("3")),
    ("科学性/技术实现", "原理是否正确，电路、结构和程序是否合理", Decimal("3")),
    ("完成度", "作品是否能稳定工作，细节是否完善", Decimal("2")),
    ("展示与表达", "说明和现场讲解是否清楚", Decimal("2")),
]

SCHOOLS = [
    # code, name, district, stage
    ("SZ-0027", "深圳市福田区创新实验中学", "福田区", SchoolStage.JUNIOR),
    ("SZ-0105", "深圳市罗湖区翠竹实验小学", "罗湖区", SchoolStage.PRIMARY),
    ("SZ-0208", "深圳市宝安区科技高级中学", "宝安区", SchoolStage.SENIOR),
]
TEACHERS = {
    "SZ-0027": ("fest_t27", "赵老师"),
    "SZ-0105": ("fest_t105", "孙老师"),
    "SZ-0208": ("fest_t208", "钱老师"),
}
STUDENTS = {
    "SZ-0012": ["小明", "小芳", "小杰", "小颖", "小涛"],
    "SZ-0027": ["小宇", "小萱", "小博", "小琪"],
    "SZ-0105": ["豆豆", "乐乐", "果果", "朵朵", "天天"],
    "SZ-0208": ["阿哲", "阿楠", "阿晴", "阿凯"],
}
JUDGES = [
    ("fest_j1", "刘教授", None),
    ("fest_j2", "黄工程师", None),
    ("fest_j3", "吴老师", "SZ-0208"),
    ("fest_j4", "郑老师", None),
    ("fest_j5", "何研究员", "SZ-0105"),
]

# title, category, school, team (indexes into STUDENTS), licence, description, what it does, how it was made, motif colour
ENTRIES = [
    (
        "智能浇花器",
        "智能硬件",
        "SZ-0012",
        [0, 1],
        "CC-BY-SA-4.0",
        "教室窗台的绿萝总是忘了浇水，我们做了一个会自己判断土壤干湿的浇花器。",
        "土壤湿度低于设定值时，ESP32 打开小水泵浇水 3 秒，OLED 屏显示湿度和上次浇水时间。",
        "先用面包板验证湿度传感器读数，再用 3D 打印做了水箱支架，程序用 MicroPython 编写。",
        "#16a34a",
    ),
    (
        "超声波导盲杖",
        "智能硬件",
        "SZ-0012",
        [2],
        "MIT",
        "在社区做志愿者时，我们发现视障老人过马路很不方便。",
        "HC-SR04 测到 1 米内有障碍物时，手柄振动，越近振得越快。",
        "用 PVC 管做杖身，电路焊在洞洞板上，充电宝供电，试走了操场一圈调整了灵敏度。",
        "#0f766e",
    ),
    (
        "教室空气管家",
        "智能硬件",
        "SZ-0027",
        [0, 1],
        "CC-BY-4.0",
        "冬天教室门窗紧闭，下午第一节课大家都犯困。",
        "监测温湿度和二氧化碳浓度，超过 1000ppm 时亮红灯提醒开窗。",
        "参考了进阶课程里的 DHT11 课，增加了 CO₂ 传感器，外壳用激光切割椴木板。",
        "#2563eb",
    ),
    (
        "防近视坐姿提醒器",
        "智能硬件",
        "SZ-0027",
        [2, 3],
        "CC-BY-SA-4.0",
        "班里近视的同学越来越多，我们想提醒大家写作业时保持距离。",
        "超声波测量眼睛到桌面的距离，低于 30 厘米蜂鸣器轻响。",
        "做了三版外壳，最后一版可以夹在台灯上。",
        "#9333ea",
    ),
    (
        "垃圾分类小助手",
        "机器人",
        "SZ-0012",
        [3, 4],
        "CC-BY-SA-4.0",
        "学校推行垃圾分类，低年级同学常常投错。",
        "按下对应按键，舵机打开正确的桶盖，彩灯环显示绿色表示投对。",
        "四个舵机控制四个桶盖，结构用雪糕棍和热熔胶制作。",
        "#ea580c",
    ),
    (
        "巡线送餐小车",
        "机器人",
        "SZ-0027",
        [1, 2],
        "GPL-3.0-or-later",
        "食堂高峰时阿姨们来回端菜很辛苦。",
        "小车沿地上的黑线行驶，到达餐桌前停下并播放提示音。",
        "用两个红外循迹模块和减速电机，调 PID 参数花了两个星期。",
        "#dc2626",
    ),
    (
        "会跳舞的机器狗",
        "机器人",
        "SZ-0012",
        [0],
        "CC-BY-4.0",
        "想做一个能陪小朋友玩的机器宠物。",
        "八个舵机驱动四条腿，能走路、坐下和跟着音乐跳舞。",
        "先用纸板做原型，再画图纸激光切割亚克力。",
        "#db2777",
    ),
    (
        "校园噪声地图",
        "编程与物联网",
        "SZ-0208",
        [0, 1],
        "MIT",
        "想知道校园里哪里最适合安静地读书。",
        "五个测量点每分钟上传一次声音强度，网页上用颜色显示噪声地图。",
        "ESP32 连接学校 Wi-Fi，数据存在树莓派上，网页用 Python 生成。",
        "#0891b2",
    ),
    (
        "宿舍用电安全卫士",
        "编程与物联网",
        "SZ-0208",
        [2],
        "Apache-2.0",
        "寄宿生常常忘记关电热水壶。",
        "检测插座电流，超过 30 分钟未断电时通过网页提醒宿管老师。",
        "电流互感器采样，老师帮我们检查了强电部分的安全。",
        "#65a30d",
    ),
    (
        "智能温室控制器",
        "编程与物联网",
        "SZ-0208",
        [3, 0],
        "CC-BY-SA-4.0",
        "生物组的小温室夏天经常过热。",
        "温度高于 32℃ 自动开风扇和遮阳帘，手机上可以查看历史曲线。",
        "舵机拉动遮阳帘，程序分成采集、控制、上传三个模块。",
        "#ca8a04",
    ),
    (
        "植物会向光生长吗",
        "科学探究",
        "SZ-0105",
        [0, 1],
        "CC-BY-4.0",
        "科学课上学了植物的向光性，我们想亲手测一测。",
        "光敏电阻记录纸箱里不同方向的光照，每天给豆苗拍照比较弯曲角度。",
        "连续观察了 14 天，画了生长曲线。",
        "#15803d",
    ),
    (
        "自制雨量计",
        "科学探究",
        "SZ-0105",
        [2],
        "CC0-1.0",
        "深圳夏天常下暴雨，我们想知道学校一天下了多少雨。",
        "翻斗每翻一次记 0.5 毫米雨量，数码管显示当天总量。",
        "翻斗用饮料瓶改造，标定时用量筒一点点倒水。",
        "#1d4ed8",
    ),
    (
        "哪种材料最保温",
        "科学探究",
        "SZ-0105",
        [3, 4],
        "CC-BY-SA-4.0",
        "冬天的午饭总是凉得快，我们比较了几种饭盒材料。",
        "五个温度传感器同时记录热水降温，屏幕上画出降温曲线。",
        "每种材料测了三次取平均，学会了控制变量。",
        "#b45309",
    ),
    (
        "纸板机械手",
        "创意设计",
        "SZ-0105",
        [0, 3],
        "CC-BY-SA-4.0",
        "想知道手指是怎么弯曲的。",
        "拉动吸管里的棉线，纸板手指就能弯曲抓起小球。",
        "参考了人手的骨骼图，用硬纸板、吸管和棉线制作。",
        "#7c3aed",
    ),
    (
        "彩虹呼吸灯笔筒",
        "创意设计",
        "SZ-0105",
        [1],
        "MIT",
        "想给妈妈做一个会发光的生日礼物。",
        "WS2812 彩灯环像呼吸一样慢慢变换七种颜色。",
        "用创客课上学的呼吸灯程序，笔筒用废旧奶粉罐装饰。",
        "#e11d48",
    ),
    (
        "会唱歌的门铃",
        "创意设计",
        "SZ-0105",
        [2, 4],
        "CC-BY-4.0",
        "教室门铃的声音太刺耳了。",
        "按下门铃，无源蜂鸣器随机播放一首儿歌的片段。",
        "用蜂鸣器课的程序改编了五首儿歌。",
        "#0d9488",
    ),
]


def seed(context):
    User = get_user_model()
    index = upsert_child(
        context.home, FestivalIndexPage, "festival", title="创客节", intro=INDEX_INTRO, show_in_menus=True
    )
    _organiser_page_permissions(index)

    schools = {context.school.code: context.school}
    for code, name, district, stage in SCHOOLS:
        schools[code], _ = School.objects.update_or_create(
            code=code, defaults={"name": name, "district": district, "stage": stage}
        )
    teachers = {context.school.code: context.users["teacher"]}
    for code, (username, display) in TEACHERS.items():
        teachers[code] = _user(User, username, display, schools[code], roles.Role.TEACHER)
    students = {}
    for code, names in STUDENTS.items():
        students[code] = [
            context.users["student"]
            if (code == context.school.code and n == 0)
            else _user(User, f"fest_{code[-3:]}_{n}", name, schools[code], roles.Role.STUDENT)
            for n, name in enumerate(names)
        ]

    past = _edition(index, 2025, "第十届深圳学生创客节", "创客点亮生活", "深圳会展中心 9 号馆")
    current = _edition(
        index, 2026, "第十一届深圳学生创客节", "智造未来 · 绿色校园", "深圳国际会展中心 6 号馆"
    )
    judge_users = [context.users["judge"]] + [
        _user(User, u, d, None, roles.Role.JUDGE) for u, d, _s in JUDGES
    ]
    for edition in (past, current):
        for user, (_u, _d, linked) in zip(judge_users, [(None, None, None), *JUDGES], strict=True):
            judge, _ = Judge.objects.get_or_create(edition=edition, user=user)
            if linked and not judge.linked_schools.exists():
                judge.linked_schools.add(schools[linked])

    if not past.results_published:
        _run_past_edition(past, schools, teachers, students, context.users["organiser"])
    context.log.append(
        f"创客节：{past.title}（已评审、已发布 {Entry.objects.filter(edition=past, award__isnull=False).count()} 个奖项），"
        f"{current.title}（报名中）"
    )


def _user(User, username, display, school, role):
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display, "school": school}
    )
    if created:
        from django.conf import settings

        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    user.groups.add(roles.role_group(role))
    return user


def _organiser_page_permissions(index):
    """Organisers edit the festival pages (editions, rubric, award scheme) in the admin."""
    group = roles.role_group(roles.Role.ORGANISER)
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=index,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )


def _edition(index, year, title, theme, venue):
    opens = datetime(year, 3, 1, 9, 0, tzinfo=TZ)
    closes = (
        datetime(year, 10, 31, 18, 0, tzinfo=TZ) if year < 2026 else datetime(year, 12, 20, 18, 0, tzinfo=TZ)
    )
    if year == 2026:  # keep the current edition open whatever day the demo runs (and stable when re-run)
        existing = FestivalEditionPage.objects.child_of(index).filter(slug=str(year)).first()
        if existing is not None and existing.registration_closes > timezone.now():
            opens, closes = existing.registration_opens, existing.registration_closes
        else:
            today = timezone.localdate()
            closes = max(
                closes,
                datetime.combine(today + timedelta(days=60), datetime.min.time(), tzinfo=TZ).replace(hour=18),
            )
            opens = min(
                opens,
                datetime.combine(today - timedelta(days=30), datetime.min.time(), tzinfo=TZ).replace(hour=9),
            )
    judging = date(year, 11, 15) if year < 2026 else closes.date() + timedelta(days=10)
    edition = upsert_child(
        index,
        FestivalEditionPage,
        str(year),
        title=title,
        year=year,
        theme=theme,
        venue=venue,
        rules=RULES,
        registration_opens=opens,
        registration_closes=closes,
        judging_starts=judging,
        judging_ends=judging + timedelta(days=2),
        exhibition_starts=judging + timedelta(days=6),
        exhibition_ends=judging + timedelta(days=8),
    )
    for n, (name, name_en, description) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            edition=edition,
            name=name,
            defaults={"name_en": name_en, "description": description, "sort_order": n},
        )
    for n, (name, stage, low, high) in enumerate(AGE_GROUPS):
        AgeGroup.objects.update_or_create(
            edition=edition,
            name=name,
            defaults={"stage": stage, "min_grade": low, "max_grade": high, "sort_order": n},
        )
    for n, (name, kind, quota, share) in enumerate(AWARDS):
        AwardLevel.objects.update_or_create(
            edition=edition,
            name=name,
            defaults={"kind": kind, "quota": quota, "share": share, "sort_order": n},
        )
    for n, (name, description, weight) in enumerate(CRITERIA):
        Criterion.objects.update_or_create(
            edition=edition,
            name=name,
            defaults={"description": description, "weight": weight, "sort_order": n},
        )
    day = datetime.combine(judging + timedelta(days=6), datetime.min.time(), tzinfo=TZ)
    for n, (kind, title, start, hours, place) in enumerate(
        [
            (EventKind.EXHIBITION, "学生创客作品展", 9, 8, "主展区"),
            (EventKind.COMPETITION, "现场答辩与评审", 9, 6, "评审区 A–D"),
            (EventKind.WORKSHOP, "ESP32 入门工作坊：点亮你的第一盏灯", 10, 2, "工作坊 1"),
            (EventKind.TALK, "从课堂到创客空间：开源硬件与学生创造", 14, 1, "报告厅"),
        ]
    ):
        ScheduleItem.objects.update_or_create(
            edition=edition,
            title=title,
            defaults={
                "kind": kind,
                "starts": day + timedelta(hours=start),
                "ends": day + timedelta(hours=start + hours),
                "place": place,
                "sort_order": n,
            },
        )
    return FestivalEditionPage.objects.get(pk=edition.pk)


def _run_past_edition(edition, schools, teachers, students, organiser):
    """Register, approve, accept, assign, score, award and publish, as it happened in 2025."""
    during = edition.registration_closes - timedelta(days=20)
    age_by_stage = {a.stage: a for a in edition.age_groups.all()}
    for n, (title, category, code, team, licence, description, what, how, colour) in enumerate(ENTRIES):
        if Entry.objects.filter(edition=edition, title=title).exists():
            continue
        members = [students[code][i] for i in team]
        entry = services.create_entry(
            edition=edition,
            user=members[0],
            students=members,
            mentor=teachers[code],
            now=during,
            title=title,
            category=edition.categories.get(name=category),
            age_group=age_by_stage[schools[code].stage],
            description=description,
            what_it_does=what,
            how_made=how,
            licence=licence,
        )
        for k, (caption, people) in enumerate([("作品全貌", False), ("团队在创客节现场讲解作品", True)]):
            services.add_photo(
                entry,
                _photo(title, caption, colour, k),
                user=members[0],
                alt_text=f"{title}：{caption}",
                shows_people=people,
                now=during,
            )
        for member in entry.members.all()[: 1 + n % 2]:  # some guardians have not returned the form
            member.guardian_consent = n % 3 != 2
            member.save(update_fields=["guardian_consent"])
        services.transition(entry, "submit", user=members[0], now=during)
        services.transition(entry, "approve", user=teachers[code], now=during + timedelta(days=2))
        services.transition(
            entry, "accept", user=organiser, now=edition.registration_closes + timedelta(days=3)
        )
    judging.compute_assignment(edition)
    criteria = list(edition.criteria.all())
    for assignment in Assignment.objects.filter(entry__edition=edition, total__isnull=True).select_related(
        "judge__user", "entry"
    ):
        values = {
            str(c.pk): _score(assignment.entry.title, assignment.judge.user.username, c.name)
            for c in criteria
        }
        judging.save_score(assignment, values, user=assignment.judge.user, comment="结构完整，讲解清楚。")
    special = edition.award_levels.get(kind=AwardKind.SPECIAL)
    judging.set_award(Entry.objects.get(edition=edition, title="纸板机械手"), special, user=organiser)
    judging.propose_awards(edition, user=organiser)
    # Published a few days after judging closed, as it happened: the certificates carry that date.
    published = datetime.combine(edition.judging_ends + timedelta(days=3), datetime.min.time(), tzinfo=TZ)
    judging.publish_results(edition, user=organiser, now=published.replace(hour=10))


def _score(title, judge, criterion):
    """Stable, plausible scores: each entry has a quality, each judge a strictness."""
    quality = int(hashlib.sha256(title.encode()).hexdigest(), 16) % 5  # 0..4
    strictness = int(hashlib.sha256(judge.encode()).hexdigest(), 16) % 3  # 0..2
    noise = int(hashlib.sha256(f"{title}{judge}{criterion}".encode()).hexdigest(), 16) % 3
    return min(10, max(0, 4 + quality + noise - strictness))


def _photo(title, caption, colour, variant):
    """A generated picture: a coloured workbench scene with the title, for demo data only."""
    image = Image.new("RGB", (960, 720), "#f8fafc")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 960, 720), fill="#e2e8f0")
    draw.rounded_rectangle((180, 220, 780, 560), radius=36, fill=colour)
    draw.rounded_rectangle((240, 280, 520, 420), radius=16, fill="#0f172a")
    for k in range(5):
        draw.ellipse(
            (580 + (k % 2) * 80, 270 + k * 50, 620 + (k % 2) * 80, 310 + k * 50),
            fill="#facc15" if k % 2 else "#f8fafc",
        )
    if variant:
        for k, x in enumerate((120, 820)):
            draw.ellipse((x - 50, 330, x + 50, 430), fill="#fcd34d" if k else "#fdba74")
            draw.rounded_rectangle((x - 70, 430, x + 70, 640), radius=30, fill="#1e3a8a" if k else "#be123c")
    font = ImageFont.truetype(FONT, 56, index=2)
    small = ImageFont.truetype(FONT, 30, index=2)
    draw.text((480, 90), title, font=font, fill="#0f172a", anchor="mm")
    draw.text((480, 660), caption, font=small, fill="#334155", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{variant}.jpg", buffer.getvalue())
