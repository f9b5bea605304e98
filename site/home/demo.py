"""Demo content for the site itself: home pages in both languages, an about page, a school,
an admin and one user per role. Apps add theirs in `<app>/demo.py` (see seed_demo)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from makerroom.core import roles
from makerroom.core.demo import publish_if_changed, upsert_child
from makerroom.core.models import School, SchoolStage
from makerroom.core.roles import sync_role_permissions
from wagtail.models import Collection, Locale, Page, Site

from .models import ContentPage, HomePage

HOME_INTRO = "深圳中小学创客实践室的课程、学生创客节与器材管理平台。"
HOME_BODY = (
    "<p>按照《深圳市促进创客发展三年行动计划（2015—2017年）》，全市中小学、职业院校和高校建设"
    "配备基本制造工具的<b>创客实践室</b>，每所学校的创客实践室最高可获得 100 万元资助。"
    "MakerRoom 帮助老师发布从小学到大学衔接的创客课程，帮助学生一步一步完成作品，"
    "帮助实验室管理员管好器材和经费，并支持一年一度的<b>深圳学生创客节</b>。</p>"
)
ABOUT_BODY = [
    ("heading", "政策背景"),
    (
        "paragraph",
        "<p>《深圳市促进创客发展三年行动计划（2015—2017年）》提出：在全市中小学、职业（技工）院校、"
        "高等院校建设创客实践室，配备基本制造工具；开展创客教育，推进中小学、职业院校和高校创客课程衔接；"
        "每年举办深圳学生创客节，展示学生创新发明成果，表彰优秀作品。</p>",
    ),
    ("heading", "资助标准"),
    (
        "paragraph",
        "<p>市科技创新委员会的答复明确：对学校创客实践室给予最高 100 万元资助；对公共软件、开发工具、"
        "公用设备等给予最高 300 万元资助，且不超过购置费用；对创客个人或团队项目给予最高 50 万元资助。</p>",
    ),
    ("heading", "课程层次"),
    (
        "paragraph",
        "<p>参照龙岗区的做法，创客“第二课堂”分为创客启蒙、进阶培训、手工创造、创意实践四个层次，"
        "覆盖小学、初中、高中、中职技工和高校各个学段。</p>",
    ),
]

DEMO_SCHOOL = {
    "code": "SZ-0012",
    "name": "深圳市南山区创新实验学校",
    "name_en": "Nanshan Innovation Experimental School, Shenzhen",
    "district": "南山区",
    "stage": SchoolStage.JUNIOR,
    "address": "深圳市南山区科技园科苑路 15 号",
}

DEMO_USERS = [
    # username, display name, role (None = superuser), in the demo school
    ("admin", "平台管理员", None, True),
    ("teacher", "李老师", roles.Role.TEACHER, True),
    ("student", "小明", roles.Role.STUDENT, True),
    ("labstaff", "王老师（实验室）", roles.Role.LAB_STAFF, True),
    # A judge from outside the schools that enter: a judge never scores their own school's entries,
    # so a judge of the demo school could be assigned none of them.
    ("judge", "陈评委", roles.Role.JUDGE, False),
    ("organiser", "周老师（创客节）", roles.Role.ORGANISER, True),
]

# What each role does, for the demo printout (seed_demo); None is the superuser.
ROLE_DUTIES = {
    None: _("Platform admin: everything, including users, sites and settings."),
    roles.Role.TEACHER: _(
        "Teacher: writes and publishes courses in the admin, runs classes, follows the students' progress, "
        "mentors festival entries."
    ),
    roles.Role.REVIEWER: _("Curriculum reviewer: reviews and approves the courses teachers submit."),
    roles.Role.STUDENT: _(
        "Student: follows lessons step by step, runs code, enters projects in the festival."
    ),
    roles.Role.LAB_STAFF: _(
        "Lab staff: keeps the maker room's tools, grant and purchases, lends kits, flashes boards."
    ),
    roles.Role.CITY_COORDINATOR: _("City coordinator: approves grants and reads every school's reports."),
    roles.Role.JUDGE: _("Judge: scores the festival entries assigned to them."),
    roles.Role.ORGANISER: _(
        "Festival organiser: sets up the festival, accepts entries, assigns judges, publishes results."
    ),
}


def role_of(user):
    """The role a demo account demonstrates (None for the superuser)."""
    if user.is_superuser:
        return None
    codes = roles.role_codes(user)
    return next((role for role in ROLE_DUTIES if role in codes), None)


@dataclass
class DemoContext:
    """What the site's seed hands on to each app's seed."""

    site: Site
    home: HomePage
    home_en: HomePage
    school: School
    users: dict = field(default_factory=dict)
    log: list = field(default_factory=list)


def ensure_tree():
    """Locales, the root collection and page, the Chinese home page and the default site. Migrations make these;
    this restores them on a database that was flushed (e.g. by transactional browser tests)."""
    zh, _ = Locale.objects.get_or_create(language_code="zh-hans")
    Locale.objects.get_or_create(language_code="en")
    Collection.get_first_root_node() or Collection.add_root(name="Root")  # images and documents live here
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root", locale=zh)
    home = HomePage.objects.filter(locale=zh, depth=2).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="创客实践室平台", slug="home", locale=zh))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    return home


def seed():
    home = ensure_tree()
    en = Locale.objects.get(language_code="en")
    publish_if_changed(home, title="创客实践室平台", intro=HOME_INTRO, body=HOME_BODY)

    home_en = home.get_translation_or_none(en)
    if home_en is None:
        home_en = home.copy_for_translation(en)
    home_en = publish_if_changed(
        home_en.specific,
        title="MakerRoom",
        intro="Courses, the Student Maker Festival and tool inventory for Shenzhen's school maker rooms.",
        body=(
            "<p>Shenzhen funds a maker room (创客实践室) with basic making tools in every school, with up to "
            "1,000,000 CNY per school. MakerRoom lets teachers publish maker courses from primary school to "
            "university, students follow them step by step, lab staff manage tools and grants, and organisers "
            "run the yearly Shenzhen Student Maker Festival.</p>"
        ),
    )

    upsert_child(
        home,
        ContentPage,
        "about",
        title="关于创客实践室",
        summary="深圳为什么在每所学校建设创客实践室，以及资助和课程的依据。",
        body=ABOUT_BODY,
        show_in_menus=True,
    )

    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port, site.root_page, site.site_name = "localhost", 8000, home, "MakerRoom"
    site.save()

    sync_role_permissions()  # the role groups, in case the database was flushed
    school, _ = School.objects.update_or_create(code=DEMO_SCHOOL["code"], defaults=DEMO_SCHOOL)
    context = DemoContext(site=site, home=home, home_en=home_en, school=school)
    User = get_user_model()
    for username, display_name, role, in_school in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        user.display_name = display_name
        user.school = school if in_school else None
        user.is_superuser = user.is_staff = role is None
        if created or not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
        user.save()
        if role:
            user.groups.set([roles.role_group(role)])
        context.users[username] = user
    return context
