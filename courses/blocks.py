"""The blocks a lesson body is made of: a lesson is a sequence of steps, not a blog post.

Every top-level block keeps the stable `id` Wagtail gives it; the lesson template puts it on the
block's element as `data-step-id`, so per-step progress can refer to it.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .programs import highlight_micropython

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "code", "superscript", "subscript"]


class CodeBlock(blocks.StructBlock):
    """MicroPython source, highlighted on the server with line numbers and a copy button."""

    filename = blocks.CharBlock(label=_("File name"), required=False, default="main.py")
    code = blocks.TextBlock(label=_("Code"), rows=12)

    class Meta:
        icon = "code"
        label = _("MicroPython code")
        template = "courses/blocks/code.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["highlighted"] = highlight_micropython(value["code"])
        return context


class StepBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"))
    text = blocks.RichTextBlock(label=pgettext_lazy("lesson block", "Text"), features=RICH_TEXT_FEATURES)
    image = ImageChooserBlock(label=pgettext_lazy("lesson block", "Image"), required=False)
    video = EmbedBlock(label=_("Video"), required=False, help_text=_("Link to a video page"))
    code = CodeBlock(label=_("Code"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("Step")
        template = "courses/blocks/step.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=pgettext_lazy("lesson block", "Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Captioned image")
        template = "courses/blocks/captioned_image.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("hint", _("Hint")), ("warning", _("Warning")), ("safety", _("Safety"))],
        default="hint",
    )
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.RichTextBlock(label=pgettext_lazy("lesson block", "Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout (hint, warning, safety)")
        template = "courses/blocks/callout.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)


class QuestionBlock(blocks.StructBlock):
    """ "Check your understanding": not graded; the answer is revealed on the page."""

    question = blocks.CharBlock(label=_("Question"))
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Choices"), min_num=2)
    explanation = blocks.RichTextBlock(label=_("Explanation"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Check your understanding")
        template = "courses/blocks/question.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["correct"] for choice in value["choices"]):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "choices": blocks.ListBlockValidationError(
                        non_block_errors=[_("Mark at least one answer as correct.")]
                    )
                }
            )
        return value


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("File"))
    label = blocks.CharBlock(label=_("Link text"), required=False)

    class Meta:
        icon = "download"
        label = _("Download")
        template = "courses/blocks/download.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video"), help_text=_("Link to a video page"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class LessonBodyBlock(blocks.StreamBlock):
    step = StepBlock()
    text = blocks.RichTextBlock(label=_("Rich text"), features=["h3", *RICH_TEXT_FEATURES], icon="pilcrow")
    image = CaptionedImageBlock()
    code = CodeBlock()
    callout = CalloutBlock()
    video = VideoBlock()
    question = QuestionBlock()
    download = DownloadBlock()
