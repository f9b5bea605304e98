"""Video and download blocks as visitors see them. Bilibili (the video site Chinese schools use) has
no oEmbed endpoint: its player is built from the video id, with no request leaving the server."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.embeds.blocks import EmbedValue

from courses.blocks import VideoBlock
from courses.embeds import BilibiliFinder

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, player",
    [
        ("https://www.bilibili.com/video/BV1GJ411x7h7/", "bvid=BV1GJ411x7h7&amp;page=1"),
        ("https://www.bilibili.com/video/BV1GJ411x7h7/?spm_id_from=333&p=3", "bvid=BV1GJ411x7h7&amp;page=3"),
        ("https://m.bilibili.com/video/av170001", "aid=170001&amp;page=1"),
    ],
)
def test_bilibili_links_become_its_player(url, player):
    finder = BilibiliFinder()
    assert finder.accept(url)
    html = finder.find_embed(url)["html"]
    assert f'src="https://player.bilibili.com/player.html?{player}&amp;autoplay=0"' in html
    assert "sandbox=" in html


@pytest.mark.parametrize(
    "url", ["https://www.bilibili.com/read/cv123", "https://evil.example/bilibili.com/video/BV1GJ411x7h7"]
)
def test_other_links_are_not_taken_for_bilibili_videos(url):
    assert not BilibiliFinder().accept(url)


def test_the_editor_accepts_a_bilibili_link_and_refuses_an_unknown_one():
    block = VideoBlock()
    value = block.to_python({"video": "https://www.bilibili.com/video/BV1GJ411x7h7/", "caption": "焊接示范"})
    assert block.clean(value)["video"].url.endswith("BV1GJ411x7h7/")
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"video": "https://video.example.cn/lesson.mp4", "caption": ""}))


def test_video_and_download_blocks_on_a_lesson_page(client, make_course, lesson_factory):
    document = get_document_model().objects.create(
        title="激光切割图纸",
        file=ContentFile(b"0\nSECTION\n2\nENTITIES\n0\nENDSEC\n0\nEOF\n", name="nameplate.dxf"),
    )
    lesson = lesson_factory(make_course(), "激光切割名牌")
    lesson.body = [
        {
            "type": "video",
            "value": {"video": "https://www.bilibili.com/video/BV1GJ411x7h7/", "caption": "焊接示范"},
        },
        # A link that no finder can show any more (the video site moved): it stays usable as a link.
        {"type": "video", "value": {"video": "https://video.example.cn/lesson.mp4", "caption": ""}},
        {"type": "download", "value": {"document": document.pk, "label": "下载名牌图纸"}},
    ]
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "player.bilibili.com/player.html?bvid=BV1GJ411x7h7" in html
    assert "<figcaption>焊接示范</figcaption>" in html
    assert 'href="https://video.example.cn/lesson.mp4"' in html and "观看视频" in html
    assert f'href="{document.url}" download>⬇ 下载名牌图纸</a>' in html
    assert ">DXF<" in html


def test_a_step_video_uses_the_same_player():
    from django.template.loader import render_to_string

    html = render_to_string(
        "courses/blocks/video_player.html",
        {"video": EmbedValue("https://www.bilibili.com/video/BV1GJ411x7h7/")},
    )
    assert "player.bilibili.com" in html
