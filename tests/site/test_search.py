"""Chinese search: runs on SQLite locally and on PostgreSQL in CI (DATABASE_URL)."""

import pytest
from makerroom.core.chinese_search import segment, segment_query
from makerroom.home.models import ContentPage

pytestmark = pytest.mark.django_db

PAGES = {
    "servo": ("舵机控制入门", "用 PWM 信号让舵机转到指定角度，做一个会点头的机器人。"),
    "ultrasonic": ("倒车雷达", "用超声波传感器 HC-SR04 测距，距离太近时蜂鸣器报警。"),
    "laser": ("激光切割入门", "学习绘制矢量图，用激光切割机切出亚克力钥匙扣。注意佩戴护目镜。"),
}


@pytest.fixture
def pages(home_page):
    created = {}
    for slug, (title, summary) in PAGES.items():
        page = ContentPage(title=title, slug=slug, summary=summary)
        home_page.add_child(instance=page)
        page.save_revision().publish()
        created[slug] = page
    return created


def _search(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def test_segmentation():
    assert "舵机" in segment("舵机控制入门").split()
    assert {"超声波", "测距"} <= set(segment("用超声波传感器测距").split())
    assert segment_query("超声波测距") == "超声波 测距"
    assert segment_query("舵机的控制") == "舵机 控制"  # function words dropped


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("舵机", {"舵机控制入门"}),  # a word inside a title
        ("测距", {"倒车雷达"}),  # a word inside the body only
        ("超声波", {"倒车雷达"}),
        ("超声波测距", {"倒车雷达"}),  # several words, all must match
        ("激光切割", {"激光切割入门"}),
        ("护目镜", {"激光切割入门"}),
    ],
)
def test_search_finds_chinese_words_inside_longer_text(client, pages, query, expected):
    html = _search(client, query)
    found = {title for title, _ in PAGES.values() if f">{title}</a>" in html}
    assert found == expected


def test_search_with_no_match_says_so(client, pages):
    html = _search(client, "无人机")
    assert "没有找到" in html


def test_unpublished_pages_are_not_found(client, pages):
    pages["servo"].unpublish()
    assert "舵机控制入门</a>" not in _search(client, "舵机")


def test_edited_page_is_found_by_its_new_words(client, pages):
    page = pages["laser"]
    page.summary = "用3D打印机打印一个手机支架。"
    page.save_revision().publish()
    assert "激光切割入门</a>" in _search(client, "手机支架")
    assert "激光切割入门</a>" not in _search(client, "护目镜")
