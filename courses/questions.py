""" "Check your understanding" keeps its answer on the server.

A question's correct choice and its explanation are not in the lesson's HTML nor in the API: a
student who could read them before answering would make the first-try results the teacher sees
worth nothing. The page and the API show the question and its choices only; the answer endpoint
(courses.classes) checks a student's choice and, once they have answered, hands back the correct
choices and the explanation (`reveal`)."""

from rest_framework.fields import Field
from wagtail.rich_text import expand_db_html


def question_blocks(raw_blocks):
    return [block for block in raw_blocks or [] if block.get("type") == "question"]


def _choice_value(item):
    return item.get("value", item) or {}


def public_question(value):
    """A question block's value without what gives the answer away."""
    return {
        "question": value.get("question", ""),
        "choices": [{"text": _choice_value(item).get("text", "")} for item in value.get("choices") or []],
    }


def public_blocks(blocks):
    """Blocks as the API represents them, with every question stripped to `public_question`."""
    return [
        dict(block, value=public_question(block.get("value") or {}))
        if block.get("type") == "question"
        else block
        for block in blocks
    ]


def correct_choices(value):
    return [n for n, item in enumerate(value.get("choices") or []) if _choice_value(item).get("correct")]


def reveal(value):
    """What a student sees after answering: the correct choices (by position) and the explanation."""
    return {
        "correct_choices": correct_choices(value),
        "explanation": expand_db_html(value.get("explanation") or ""),
    }


class LessonBodySerializer(Field):
    """The lesson body in the API (as Wagtail's StreamField serializer gives it), without the answers."""

    def to_representation(self, value):
        return public_blocks(value.stream_block.get_api_representation(value, self.context))
