"""Handout PDFs: what a client reads in them, and how they are laid out.

Every test renders real PDFs from the example packets and reads them back
with pypdf (text, metadata, page sizes) or QtPdf (pixels).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from packetstudio.pdf import Branding, RenderedHandout, render_handout
from packetstudio.pdf.fonts import BOLD, register_fonts
from packetstudio.pdf.markup import Node, parse_markup
from packetstudio.pdf.render import template_context
from packetstudio.pdf.tables import CELL_LEADING, CELL_SIZE, grid
from packetstudio.pdf.theme import Theme
from packetstudio.pdf.widgets import HandoutTable
from packetstudio.store import Database
from packetstudio.store.settings import (
    SettingError,
    job_keep_days,
    load_branding,
    save_branding,
    save_job_keep_days,
)
from packetstudio.templates import default_template, render_markup
from packetstudio.templates.defaults import sample_client_name, sample_content
from packetstudio.vocabulary import PacketType
from tests.pdf_png import ink_share, render_pages

AS_OF = date(2026, 12, 3)
GYM = Branding(
    gym_name="Northside Strength Club",
    address="214 Harbour Street, Portland",
    phone="+1 207 555 0142",
    website="northsidestrength.example",
    coach_name="Sam Rivera",
)
UNICODE_NAMES = ["Zoë Ångström", "Nguyễn Thị Minh", "Дмитрий Соколов"]
PAGE_RANGES = {
    PacketType.NUTRITION: range(6, 12),
    PacketType.WORKOUT: range(4, 10),
    PacketType.PERFORMANCE: range(4, 10),
    PacketType.YOUTH: range(4, 9),
    PacketType.RECOVERY: range(5, 10),
}
TRAINING_TYPES = [
    PacketType.WORKOUT,
    PacketType.PERFORMANCE,
    PacketType.YOUTH,
]
PHYSICIAN = "See a physician before starting"


@pytest.fixture(autouse=True, scope="module")
def _invariant_pdfs() -> Iterator[None]:
    """Byte-stable PDFs: no creation time or random document id."""
    before = rl_config.invariant
    rl_config.invariant = 1
    yield
    rl_config.invariant = before


def render(
    packet_type: PacketType,
    content: dict[str, Any] | None = None,
    *,
    name: str | None = None,
    branding: Branding = GYM,
) -> RenderedHandout:
    """Render the example packet of ``packet_type`` with its default template."""
    return render_handout(
        packet_type.value,
        content if content is not None else sample_content(packet_type),
        default_template(packet_type),
        branding,
        name or sample_client_name(packet_type),
        AS_OF,
    )


def text_of(pdf: bytes) -> str:
    """Return the PDF's text, with every run of white space made one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())


def flat(text: str) -> str:
    return " ".join(text.split())


def headings(packet_type: PacketType, content: dict[str, Any]) -> list[str]:
    """Return every heading and titled block the default template produces."""
    context = template_context(
        packet_type, content, GYM, sample_client_name(packet_type), AS_OF
    )
    root = parse_markup(render_markup(default_template(packet_type), context))
    found: list[str] = []

    def walk(node: Node) -> None:
        for child in node.elements:
            if child.tag in ("h1", "h2"):
                found.append(child.text())
            elif "title" in child.attrs and child.tag != "handout":
                found.append(child.attrs["title"])
            walk(child)

    walk(root)
    return found


@pytest.mark.parametrize("packet_type", list(PacketType), ids=str)
def test_every_page_names_the_client_and_counts_the_pages(
    packet_type: PacketType,
) -> None:
    handout = render(packet_type)
    reader = PdfReader(io.BytesIO(handout.pdf))
    name = sample_client_name(packet_type)

    assert len(reader.pages) == handout.page_count
    for number, page in enumerate(reader.pages, start=1):
        text = flat(page.extract_text())
        assert name in text
        assert f"Page {number} of {handout.page_count}" in text


@pytest.mark.parametrize("packet_type", list(PacketType), ids=str)
def test_every_heading_of_the_default_template_is_printed(
    packet_type: PacketType,
) -> None:
    content = sample_content(packet_type)
    text = text_of(render(packet_type, content).pdf)

    expected = headings(packet_type, content)
    assert len(expected) >= 6
    assert [h for h in expected if flat(h) not in text] == []


@pytest.mark.parametrize("name", UNICODE_NAMES)
@pytest.mark.parametrize("packet_type", [PacketType.NUTRITION, PacketType.YOUTH])
def test_names_in_any_alphabet_are_printed(packet_type: PacketType, name: str) -> None:
    content = sample_content(packet_type) | {"client_name": name}

    text = text_of(render(packet_type, content, name=name).pdf)

    assert name in text
    assert text.count(name) >= 2  # page 1 and the footers


def test_text_from_the_packet_is_printed_as_written_never_as_markup() -> None:
    name = 'Bob <b>"Tables"</b> & Sons </handout>'

    text = text_of(render(PacketType.WORKOUT, name=name).pdf)

    assert name in text


def test_nutrition_handout_prints_calories_and_macros() -> None:
    content = sample_content(PacketType.NUTRITION)
    c = content["calculations"]

    text = text_of(render(PacketType.NUTRITION, content).pdf)

    assert f"{c['target_kcal']['value']:,} kcal" in text
    for key in ("protein_g", "carbs_g", "fat_g"):
        assert f"{c[key]['value']:,} g" in text
    protein_kcal = 4 * c["protein_g"]["value"]
    assert f"{protein_kcal:,} kcal" in text  # the macro chart's legend


@pytest.mark.parametrize("packet_type", TRAINING_TYPES, ids=str)
def test_training_handouts_print_sets_and_reps(packet_type: PacketType) -> None:
    content = sample_content(packet_type)
    days = [d for d in content["weekly_schedule"] if d["training"]]

    text = text_of(render(packet_type, content).pdf)

    for exercise in days[0]["exercises"]:
        assert f"{exercise['sets']} × {exercise['reps']}" in text
        assert exercise["name"] in text


def test_recovery_handout_prints_each_phase_and_its_doses() -> None:
    content = sample_content(PacketType.RECOVERY)

    text = text_of(render(PacketType.RECOVERY, content).pdf)

    for phase in content["phases"]:
        assert f"Phase {phase['number']}: {phase['name']}" in text
        for exercise in phase["rehab_exercises"]:
            assert f"{exercise['sets']} × {exercise['reps']}" in text


@pytest.mark.parametrize("packet_type", list(PacketType), ids=str)
def test_page_count_is_sensible_for_the_packet_type(packet_type: PacketType) -> None:
    assert render(packet_type).page_count in PAGE_RANGES[packet_type]


def test_metadata_names_the_handout_the_gym_and_the_program() -> None:
    content = sample_content(PacketType.NUTRITION)

    meta = PdfReader(io.BytesIO(render(PacketType.NUTRITION, content).pdf)).metadata

    assert meta is not None
    assert meta.title == content["title"]
    assert meta.author == "Sam Rivera, Northside Strength Club"
    assert meta.subject == "Nutrition packet for Maria Lopez"
    assert meta.creator is not None and meta.creator.startswith("PacketStudio ")


@pytest.mark.parametrize(
    ("paper", "size"), [("letter", (612, 792)), ("a4", (595, 842))]
)
def test_the_paper_size_follows_the_branding(paper: str, size: tuple[int, int]) -> None:
    branding = Branding(gym_name="Northside", paper=paper)  # type: ignore[arg-type]

    reader = PdfReader(io.BytesIO(render(PacketType.YOUTH, branding=branding).pdf))

    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == size


def test_the_gym_and_its_contact_details_are_on_the_handout() -> None:
    pages = PdfReader(io.BytesIO(render(PacketType.WORKOUT).pdf)).pages
    first, last = flat(pages[0].extract_text()), flat(pages[-1].extract_text())

    for text in (GYM.gym_name, GYM.address, GYM.phone, GYM.website, "Sam Rivera"):
        assert text in first
    assert f"{GYM.gym_name} · {GYM.phone} · {GYM.website}" in last


@pytest.mark.parametrize("packet_type", list(PacketType), ids=str)
def test_the_physician_notice_appears_exactly_when_the_client_needs_it(
    packet_type: PacketType,
) -> None:
    clear = sample_content(packet_type) | {
        "needs_clearance": False,
        "clearance_reasons": [],
    }
    reason = "Blood pressure above 160/100 at the intake."
    needs = clear | {"needs_clearance": True, "clearance_reasons": [reason]}

    assert PHYSICIAN not in text_of(render(packet_type, clear).pdf)
    text = text_of(render(packet_type, needs).pdf)
    assert PHYSICIAN in text
    assert reason in text


def test_the_same_packet_gives_the_same_bytes() -> None:
    assert render(PacketType.NUTRITION).pdf == render(PacketType.NUTRITION).pdf


def test_page_one_is_not_blank(qapp: Any, tmp_path: Path) -> None:
    handout = render(PacketType.NUTRITION)

    [png] = render_pages(handout.pdf, tmp_path, dpi=40, pages=[0])

    assert 0.05 < ink_share(png) < 0.8


def test_a_logo_is_drawn_on_page_one(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), "#0F5E66").save(logo)
    branding = Branding(gym_name="Northside", logo_path=logo)

    reader = PdfReader(io.BytesIO(render(PacketType.YOUTH, branding=branding).pdf))

    assert len(reader.pages[0].images) == 1
    assert len(reader.pages[1].images) == 0


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"brand_colour": "teal"}, "brand_colour"),
        ({"brand_colour": "#FFD700"}, "brand_colour"),  # unreadable in grey
        ({"logo_path": Path("/no/such/logo.png")}, "logo_path"),
        ({"gym_name": "  "}, "gym_name"),
        ({"paper": "legal"}, "paper"),
        ({"phone": "x" * 300}, "phone"),
    ],
)
def test_bad_branding_is_refused_naming_the_field(
    fields: dict[str, Any], named: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        Branding(**fields)


def test_branding_is_stored_in_the_settings_table(sqlite_db: Database) -> None:
    assert load_branding(sqlite_db) == Branding()

    save_branding(sqlite_db, GYM)

    assert load_branding(sqlite_db) == GYM


def test_the_logo_is_kept_in_the_database_not_at_its_original_path(
    sqlite_db: Database, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (2400, 1200), "#0F5E66").save(logo)
    save_branding(sqlite_db, Branding(gym_name="Northside", logo_path=logo))
    logo.unlink()

    branding = load_branding(sqlite_db)

    assert branding.logo_path is not None and branding.logo_path.is_file()
    with Image.open(branding.logo_path) as stored:
        assert stored.size == (800, 400)  # scaled to fit, proportions kept
    branding.logo_path.unlink()  # the cached copy is made again when needed
    assert load_branding(sqlite_db).logo_path.is_file()  # type: ignore[union-attr]
    save_branding(sqlite_db, Branding(gym_name="Northside"))
    assert load_branding(sqlite_db).logo_path is None


def test_a_logo_that_is_not_a_png_or_jpeg_is_refused_by_name(
    sqlite_db: Database, tmp_path: Path
) -> None:
    fake = tmp_path / "logo.png"
    Image.new("RGB", (10, 10)).save(fake, format="GIF")
    with pytest.raises(SettingError, match=r"logo_path: logo\.png is a GIF image"):
        save_branding(sqlite_db, Branding(gym_name="Northside", logo_path=fake))
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8 not really")
    with pytest.raises(SettingError, match=r"logo_path: broken\.jpg cannot be read"):
        save_branding(sqlite_db, Branding(gym_name="Northside", logo_path=broken))
    assert load_branding(sqlite_db) == Branding()


def test_finished_jobs_are_kept_a_chosen_number_of_days(sqlite_db: Database) -> None:
    assert job_keep_days(sqlite_db) == 30
    save_job_keep_days(sqlite_db, 7)
    assert job_keep_days(sqlite_db) == 7
    for wrong in (0, 3651, True, "7"):
        with pytest.raises(SettingError, match="keep_days: finished jobs are kept 1"):
            save_job_keep_days(sqlite_db, wrong)  # type: ignore[arg-type]
    assert job_keep_days(sqlite_db) == 7


def test_imperial_handouts_give_body_weight_in_pounds_and_drinks_in_ounces() -> None:
    content = sample_content(PacketType.NUTRITION)
    litres = content["calculations"]["drinks"]["value"]
    limit_kg = content["calculations"]["fluid_loss_limit_kg"]["value"]
    imperial = replace(GYM, units="imperial")

    metric_text = text_of(render(PacketType.NUTRITION, content).pdf)
    imperial_text = text_of(
        render(PacketType.NUTRITION, content, branding=imperial).pdf
    )

    assert f"About {litres:.1f} L from drinks" in metric_text
    assert f"under {limit_kg:.1f} kg" in metric_text
    ounces = round(litres * 1000 / 29.5735)  # a US fluid ounce is 29.5735 ml
    assert f"About {ounces:,} fl oz from drinks" in imperial_text
    assert f"under {limit_kg / 0.45359237:.1f} lb" in imperial_text
    assert "Drinks (fl oz)" in imperial_text
    assert f"Water About {ounces:,} fl oz from drinks" in imperial_text


def test_imperial_handouts_weigh_food_in_ounces_and_pounds() -> None:
    content = sample_content(PacketType.NUTRITION)
    portion = content["meal_plan"][0]["meals"][0]["portions"][0]
    items = [i for g in content["shopping_list"] for i in g["items"]]
    big = max(items, key=lambda i: i["grams"])
    assert big["grams"] > 454, "a shopping item over a pound"
    imperial = replace(GYM, units="imperial")

    metric_text = text_of(render(PacketType.NUTRITION, content).pdf)
    imperial_text = text_of(
        render(PacketType.NUTRITION, content, branding=imperial).pdf
    )

    ounces = portion["grams"] / 28.349523125  # the avoirdupois ounce
    written = f"{ounces:.1f}" if ounces < 10 else f"{ounces:.0f}"
    assert f"{portion['name']}: {written} oz {portion['state']}" in imperial_text
    assert f"{portion['name']}: {portion['grams']} g {portion['state']}" in metric_text
    pounds = big["grams"] / 453.59237
    assert f"{big['name']} {pounds:.1f} lb" in imperial_text
    assert f"{big['name']} {big['grams'] / 1000:.1f} kg" in metric_text
    assert "defined in kilograms, centimetres and litres" in imperial_text
    assert "defined in kilograms" not in metric_text


def test_threads_rendering_the_same_logo_at_once_all_succeed(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (800, 400), "#0F5E66").save(logo)
    branding = Branding(gym_name="Northside", logo_path=logo)
    with ThreadPoolExecutor(4) as pool:
        handouts = list(
            pool.map(lambda _: render(PacketType.YOUTH, branding=branding), range(8))
        )
    for handout in handouts:
        first_page = PdfReader(io.BytesIO(handout.pdf)).pages[0]
        assert len(first_page.images) == 1


def reportlab_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Draw handout tables cell by cell, as ReportLab's Table does."""
    monkeypatch.setattr(HandoutTable, "draw", Table.draw)
    monkeypatch.setattr(HandoutTable, "_drawCell", Table._drawCell)


def page_images(pdf: bytes, folder: Path, stem: str) -> list[bytes]:
    return [png.read_bytes() for png in render_pages(pdf, folder, dpi=90, stem=stem)]


def text_objects(pdf: bytes) -> int:
    reader = PdfReader(io.BytesIO(pdf))
    streams = (page.get_contents().get_data() for page in reader.pages)
    return sum(len(re.findall(rb"\bBT\b", stream)) for stream in streams)


@pytest.mark.parametrize("packet_type", list(PacketType), ids=str)
def test_table_text_is_drawn_exactly_where_reportlab_draws_it(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packet_type: PacketType
) -> None:
    """Each table's text goes into one text object; the pages look the same."""
    ours = render(packet_type).pdf
    with monkeypatch.context() as patched:
        reportlab_drawing(patched)
        theirs = render(packet_type).pdf

    assert page_images(ours, tmp_path, "ours") == page_images(theirs, tmp_path, "rl")
    assert text_objects(ours) < text_objects(theirs)


def test_every_alignment_weight_and_line_of_a_table_lands_where_reportlab_puts_it(
    qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register_fonts()
    theme = Theme(GYM)
    data = [
        ["Food", "Grams", "When", "Note"],
        ["Oats, dry", "80", "Breakfast", "Cook with\nwater or milk"],
        [
            "Chicken breast,\nroasted",
            "150",
            "Lunch",
            Paragraph("<b>Bold</b> and plain", theme.cell),
        ],
        ["Olive oil", "10", "Dinner", "Měřeno lžící"],
    ]
    extra = [
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("ALIGN", (2, 1), (2, -1), "CENTRE"),
        ("FONT", (0, 2), (0, 2), BOLD, CELL_SIZE, CELL_LEADING),
    ]

    def table_pdf() -> bytes:
        buffer = io.BytesIO()
        table = grid(
            theme, [list(row) for row in data], [120, 60, 90, 180], 1, extra=extra
        )
        SimpleDocTemplate(buffer, pagesize=theme.page_size).build([table])
        return buffer.getvalue()

    ours = table_pdf()
    with monkeypatch.context() as patched:
        reportlab_drawing(patched)
        theirs = table_pdf()

    assert page_images(ours, tmp_path, "ours") == page_images(theirs, tmp_path, "rl")
    assert text_objects(ours) < text_objects(theirs)
