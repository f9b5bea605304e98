from decimal import Decimal

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from makerroom.core.models import School
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class ToolKind(models.TextChoices):
    """Durable tools become numbered assets; consumables are counted as stock."""

    DURABLE = "durable", _("Durable (asset)")
    CONSUMABLE = "consumable", _("Consumable (stock)")


class ToolCategory(models.Model):
    slug = models.SlugField(pgettext_lazy("kits catalogue", "slug"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("kits", "name"), max_length=40, unique=True)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("tool category")
        verbose_name_plural = _("tool categories")

    def __str__(self):
        return self.name


class ToolType(models.Model):
    """An entry of the city's tool catalogue: what a purchase buys and what a lesson needs."""

    category = models.ForeignKey(
        ToolCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tool_types"
    )
    slug = models.SlugField(pgettext_lazy("kits catalogue", "slug"), max_length=60, unique=True)
    name = models.CharField(pgettext_lazy("kits", "name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 个, 块, 台, 卷"))
    reference_price = models.DecimalField(
        _("reference price (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ToolKind.choices)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    safety_notes = models.TextField(_("safety notes"), blank=True)

    class Meta:
        ordering = ["category__sort_order", "slug"]
        verbose_name = _("tool type")
        verbose_name_plural = _("tool types")

    def __str__(self):
        return self.name

    @property
    def is_durable(self):
        return self.kind == ToolKind.DURABLE


# --- Rooms, programmes and grants ------------------------------------------------------------


class MakerRoom(ClusterableModel):
    """A school's 创客实践室: where its tools, kits and stock live."""

    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(pgettext_lazy("kits", "name"), max_length=60, default="创客实践室")
    location = models.CharField(
        _("location"), max_length=120, blank=True, help_text=_("e.g. 科技楼 3 楼 302")
    )
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(pgettext_lazy("kits", "description"), blank=True)

    class Meta:
        ordering = ["school__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="kits_room_unique_name_per_school")
        ]
        verbose_name = _("maker room")
        verbose_name_plural = _("maker rooms")

    def __str__(self):
        return f"{self.school} · {self.name}"


class MakerRoomPhoto(Orderable):
    room = ParentalKey(MakerRoom, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("photo"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("caption"), max_length=120, blank=True)


class CapApplies(models.TextChoices):
    """Whether a programme's cap bounds each grant or the sum of a school's grants."""

    PER_SCHOOL = "school", _("per school")
    PER_GRANT = "grant", _("per grant")


class FundingProgramme(models.Model):
    """A city subsidy line (source: 深圳市科技创新委员会 reply, 2015): its cap and its rule.

    The 创客实践室 programme subsidises a school's maker room up to its cap **per school**: the
    approved amounts of its grants to one school never add up to more. Per-project programmes
    (创客个人/团队项目) cap each grant.
    """

    slug = models.SlugField(pgettext_lazy("kits catalogue", "slug"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("kits", "name"), max_length=60, unique=True)
    cap = models.DecimalField(
        _("cap (CNY)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    cap_applies = models.CharField(
        _("the cap applies"),
        max_length=6,
        choices=CapApplies.choices,
        default=CapApplies.PER_GRANT,
        help_text=_(
            "Per school: the approved amounts of a school's grants of this programme add up to at most the cap."
        ),
    )
    max_subsidy_rate = models.DecimalField(
        _("maximum share of the purchase cost"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("1.00 = the subsidy never exceeds the purchase cost."),
    )
    rule = models.CharField(_("rule"), max_length=200, blank=True)

    class Meta:
        ordering = ["cap", "slug"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")

    def __str__(self):
        return self.name


class GrantStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class Grant(models.Model):
    programme = models.ForeignKey(
        FundingProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="grants"
    )
    room = models.ForeignKey(
        MakerRoom, verbose_name=_("maker room"), on_delete=models.PROTECT, related_name="grants"
    )
    reference = models.CharField(_("approval number"), max_length=40, blank=True)
    # Lab staff apply for an amount; only a city coordinator (or a superuser) sets what is approved.
    requested_amount = models.DecimalField(
        _("amount applied for (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    approved_amount = models.DecimalField(
        _("approved amount (CNY)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # Kept equal to the sum of the grant's purchase subsidies by kits.services, under a row lock.
    charged = models.DecimalField(
        _("charged (CNY)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.APPLIED
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(charged__lte=models.F("approved_amount")),
                name="kits_grant_charged_within_approved",
            ),
            models.CheckConstraint(
                condition=models.Q(charged__gte=0), name="kits_grant_charged_not_negative"
            ),
        ]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")

    def __str__(self):
        return f"{self.room.school} · {self.programme}"

    @property
    def left(self):
        return self.approved_amount - self.charged

    @property
    def used_percent(self):
        if not self.approved_amount:
            return 0
        return int(self.charged * 100 / self.approved_amount)


class Purchase(models.Model):
    """One line of a procurement: what was bought against a grant and what the grant paid."""

    # Transactional rows: Wagtail's reference index ("usage") is not kept for them; it cost ~40 %
    # of a purchase import and nobody asks which pages "use" a purchase line.
    wagtail_reference_index_ignore = True

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.PROTECT, related_name="purchases"
    )
    tool_type = models.ForeignKey(
        ToolType, verbose_name=_("tool type"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_cost = models.DecimalField(_("unit cost (CNY)"), max_digits=12, decimal_places=2)
    total_cost = models.DecimalField(_("total cost (CNY)"), max_digits=14, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy charged (CNY)"), max_digits=12, decimal_places=2)
    supplier = models.CharField(_("supplier"), max_length=100)
    invoice_number = models.CharField(_("invoice number"), max_length=40)
    invoice_file = models.FileField(
        _("invoice file"),
        upload_to="invoices/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(["pdf", "ofd", "jpg", "jpeg", "png"])],
        help_text=_("PDF, OFD or a photo of the invoice."),
    )
    purchased_on = models.DateField(_("purchase date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-purchased_on", "-pk"]
        indexes = [models.Index(fields=["grant", "tool_type"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(subsidy__lte=models.F("total_cost")), name="kits_subsidy_within_cost"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="kits_purchase_quantity_positive"
            ),
        ]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")

    def __str__(self):
        return f"{self.tool_type} × {self.quantity}（{self.invoice_number}）"

    @property
    def self_funded(self):
        return self.total_cost - self.subsidy


# --- Assets and stock --------------------------------------------------------------------------


class AssetStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    ON_LOAN = "on_loan", _("On loan")
    REPAIR = "repair", _("Under repair")
    RETIRED = "retired", _("Retired")


class Asset(models.Model):
    """One durable tool with its own asset tag (SZ-0012-000431)."""

    # Transactional rows: Wagtail's reference index ("usage") is not kept for them; it cost ~40 %
    # of a purchase import and nobody asks which pages "use" a purchase line.
    wagtail_reference_index_ignore = True

    tag = models.CharField(_("asset tag"), max_length=30, unique=True)
    room = models.ForeignKey(
        MakerRoom, verbose_name=_("maker room"), on_delete=models.PROTECT, related_name="assets"
    )
    tool_type = models.ForeignKey(
        ToolType, verbose_name=_("tool type"), on_delete=models.PROTECT, related_name="+"
    )
    purchase = models.ForeignKey(
        Purchase,
        verbose_name=_("purchase"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
    )
    serial = models.CharField(_("serial number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.IN_STOCK
    )
    location = models.CharField(_("location"), max_length=60, blank=True, help_text=_("shelf or cabinet"))
    kit = models.ForeignKey(
        "Kit",
        verbose_name=_("kit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assets",
        help_text=_("The numbered kit box this asset is kept in."),
    )
    notes = models.TextField(_("notes"), blank=True)
    label_printed_at = models.DateTimeField(
        _("label printed at"), null=True, blank=True, help_text=_("When its label sheet was last generated.")
    )

    class Meta:
        ordering = ["tag"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self):
        return f"{self.tag} {self.tool_type}"


class Stock(models.Model):
    """How many of a consumable a room holds."""

    # Transactional rows: Wagtail's reference index ("usage") is not kept for them; it cost ~40 %
    # of a purchase import and nobody asks which pages "use" a purchase line.
    wagtail_reference_index_ignore = True

    room = models.ForeignKey(
        MakerRoom, verbose_name=_("maker room"), on_delete=models.CASCADE, related_name="stock"
    )
    tool_type = models.ForeignKey(
        ToolType, verbose_name=_("tool type"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    low_stock_threshold = models.PositiveIntegerField(_("low-stock threshold"), default=0)

    class Meta:
        ordering = ["room", "tool_type__slug"]
        constraints = [
            models.UniqueConstraint(fields=["room", "tool_type"], name="kits_stock_one_row_per_type")
        ]
        verbose_name = _("stock")
        verbose_name_plural = _("stock")

    def __str__(self):
        return f"{self.tool_type} {self.quantity}{self.tool_type.unit}"

    @property
    def is_low(self):
        return self.quantity <= self.low_stock_threshold


# --- Kits and flashing -------------------------------------------------------------------------


class KitTemplate(ClusterableModel):
    """A bill of materials, e.g. ESP32 入门套件 = 1 ESP32 board, 1 breadboard, 10 LEDs, …"""

    name = models.CharField(pgettext_lazy("kits", "name"), max_length=60, unique=True)
    description = models.TextField(pgettext_lazy("kits", "description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kit template")
        verbose_name_plural = _("kit templates")

    def __str__(self):
        return self.name


class KitTemplateItem(Orderable):
    template = ParentalKey(KitTemplate, on_delete=models.CASCADE, related_name="items")
    tool_type = models.ForeignKey(
        ToolType, verbose_name=_("tool type"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["template", "tool_type"], name="kits_template_item_unique")
        ]
        verbose_name = _("kit template item")
        verbose_name_plural = _("kit template items")

    def __str__(self):
        return f"{self.tool_type} × {self.quantity}"


class KitStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    ON_LOAN = "on_loan", _("On loan")
    INCOMPLETE = "incomplete", _("Incomplete")
    RETIRED = "retired", _("Retired")


class Kit(models.Model):
    """A numbered box built from a template (SZ-0012-K07)."""

    code = models.CharField(_("kit code"), max_length=30, unique=True, help_text=_("e.g. SZ-0012-K07"))
    school = models.ForeignKey(
        School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="kits"
    )
    room = models.ForeignKey(
        MakerRoom,
        verbose_name=_("maker room"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="kits",
    )
    template = models.ForeignKey(
        KitTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="kits"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=KitStatus.choices, default=KitStatus.AVAILABLE
    )
    esp32_mac = models.CharField(_("ESP32 MAC address"), max_length=17, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kit")
        verbose_name_plural = _("kits")

    def __str__(self):
        return f"{self.code} {self.template}"

    def tagged_assets(self):
        """The tagged tools kept in this kit's box, in tag order (the kit page lists them)."""
        return self.assets.select_related("tool_type").order_by("tag")


class FlashRecord(models.Model):
    """One board flashed by the firmware tools (recorded through kits.services.record_flash)."""

    kit = models.ForeignKey(
        Kit,
        verbose_name=_("kit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="flash_records",
    )
    port = models.CharField(pgettext_lazy("kits flash record", "port"), max_length=120, blank=True)
    mac = models.CharField(_("MAC address"), max_length=17, blank=True)
    chip = models.CharField(_("chip"), max_length=40, blank=True)
    base_firmware = models.CharField(_("base firmware"), max_length=120, blank=True)
    base_sha256 = models.CharField(_("base firmware SHA-256"), max_length=64, blank=True)
    lesson_slug = models.CharField(_("lesson"), max_length=60, blank=True)
    lesson_version = models.CharField(_("lesson version"), max_length=20, blank=True)
    ok = models.BooleanField(_("succeeded"))
    message = models.TextField(_("message"), blank=True)
    seconds = models.DecimalField(_("seconds"), max_digits=8, decimal_places=2, null=True, blank=True)
    flashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flashed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    flashed_at = models.DateTimeField(_("flashed at"), default=timezone.now)

    class Meta:
        ordering = ["-flashed_at", "-pk"]
        verbose_name = _("flash record")
        verbose_name_plural = _("flash records")

    def __str__(self):
        return f"{self.kit or self.mac} {self.lesson_slug} {'✓' if self.ok else '✗'}"


# --- Loans, reservations, stocktakes -----------------------------------------------------------


class BorrowerKind(models.TextChoices):
    STUDENT = "student", _("Student")
    CLASS = "class", _("Class")
    TEACHER = "teacher", _("Teacher")


class ReturnCondition(models.TextChoices):
    GOOD = "good", _("Good")
    DAMAGED = "damaged", _("Damaged")


class Loan(models.Model):
    """A kit or an asset lent to a student, a class or a teacher."""

    # Transactional rows: Wagtail's reference index ("usage") is not kept for them; it cost ~40 %
    # of a purchase import and nobody asks which pages "use" a purchase line.
    wagtail_reference_index_ignore = True

    kit = models.ForeignKey(
        Kit, verbose_name=_("kit"), null=True, blank=True, on_delete=models.PROTECT, related_name="loans"
    )
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), null=True, blank=True, on_delete=models.PROTECT, related_name="loans"
    )
    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.PROTECT, related_name="+")
    borrower_kind = models.CharField(_("borrower type"), max_length=10, choices=BorrowerKind.choices)
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("borrower"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    class_name = models.CharField(_("class"), max_length=40, blank=True, help_text=_("e.g. 初二（3）班"))
    lent_at = models.DateTimeField(_("lent at"), default=timezone.now)
    due_on = models.DateField(_("due date"))
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    condition = models.CharField(
        _("condition on return"), max_length=10, choices=ReturnCondition.choices, blank=True
    )
    return_notes = models.TextField(_("notes on return"), blank=True)

    class Meta:
        ordering = ["-lent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kit__isnull=False, asset__isnull=True)
                | models.Q(kit__isnull=True, asset__isnull=False),
                name="kits_loan_kit_xor_asset",
            ),
            models.UniqueConstraint(
                fields=["kit"],
                condition=models.Q(returned_at__isnull=True),
                name="kits_one_open_loan_per_kit",
            ),
            models.UniqueConstraint(
                fields=["asset"],
                condition=models.Q(returned_at__isnull=True),
                name="kits_one_open_loan_per_asset",
            ),
        ]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")

    def __str__(self):
        return f"{self.kit or self.asset} → {self.borrower_label}"

    @property
    def item(self):
        return self.kit or self.asset

    @property
    def borrower_label(self):
        if self.borrower_kind == BorrowerKind.CLASS:
            return self.class_name
        return self.borrower.public_name if self.borrower else ""

    @property
    def is_open(self):
        return self.returned_at is None


class MissingPart(models.Model):
    """A part missing from a kit when it came back; taken out of the room's stock."""

    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="missing_parts"
    )
    tool_type = models.ForeignKey(
        ToolType, verbose_name=_("tool type"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    replaced = models.PositiveIntegerField(_("replaced from stock"), default=0)

    class Meta:
        verbose_name = _("missing part")
        verbose_name_plural = _("missing parts")

    def __str__(self):
        return f"{self.tool_type} × {self.quantity}"


class Reservation(models.Model):
    """A teacher books N kits of a room for a class session."""

    room = models.ForeignKey(
        MakerRoom, verbose_name=_("maker room"), on_delete=models.CASCADE, related_name="reservations"
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="kit_reservations",
    )
    class_name = models.CharField(_("class"), max_length=40)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("start time"))
    ends_at = models.TimeField(_("end time"))
    kit_count = models.PositiveIntegerField(_("number of kits"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("purpose"), max_length=120, blank=True)

    class Meta:
        ordering = ["date", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="kits_reservation_ends_after_start",
            )
        ]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")

    def __str__(self):
        return f"{self.date} {self.starts_at:%H:%M}–{self.ends_at:%H:%M} {self.class_name} × {self.kit_count}"


class Stocktake(models.Model):
    """A count of a room (盘点): the asset tags scanned, compared with what should be there."""

    room = models.ForeignKey(
        MakerRoom, verbose_name=_("maker room"), on_delete=models.CASCADE, related_name="stocktakes"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(pgettext_lazy("kits stocktake", "started at"), default=timezone.now)
    finished_at = models.DateTimeField(pgettext_lazy("kits stocktake", "finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("stocktake")
        verbose_name_plural = _("stocktakes")

    def __str__(self):
        return f"{self.room} {timezone.localtime(self.started_at):%Y-%m-%d}"


class StocktakeScan(models.Model):
    stocktake = models.ForeignKey(Stocktake, on_delete=models.CASCADE, related_name="scans")
    tag = models.CharField(_("asset tag"), max_length=30)
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stocktake", "tag"], name="kits_scan_once_per_stocktake")
        ]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self):
        return self.tag


class PurchaseImport(models.Model):
    """A procurement sheet imported into a school's purchases: its SHA-256 recognises the same
    file uploaded again, so one sheet is never charged twice."""

    school = models.ForeignKey(School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="+")
    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="imports"
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    filename = models.CharField(_("file name"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    total_cost = models.DecimalField(_("total cost (CNY)"), max_digits=14, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy charged (CNY)"), max_digits=14, decimal_places=2)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    # An import run as a job commits in batches: `rows_done` rows of the file are saved, and a
    # retry of the same job continues after them. `complete` once every row is saved.
    rows_done = models.PositiveIntegerField(_("rows saved"), default=0)
    complete = models.BooleanField(_("complete"), default=True)
    job = models.ForeignKey("core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["school", "sha256"], name="kits_import_once_per_school")
        ]
        verbose_name = _("purchase import")
        verbose_name_plural = _("purchase imports")

    def __str__(self):
        return f"{self.filename} ({self.rows})"
