"""CSV import and export: real-looking form exports in, the client list out."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from packetstudio.cli import main
from packetstudio.clientcsv import (
    CsvReadError,
    DuplicateChoice,
    ImportConflict,
    ImportMapping,
    ImportPlan,
    MappingError,
    RowStatus,
    apply_import,
    default_report_path,
    load_mapping,
    load_saved_mapping,
    plan_import,
    read_csv,
    remember_mapping,
    save_mapping,
    write_clients_csv,
    write_report,
)
from packetstudio.clientcsv.answers import (
    AnswerError,
    DateOrder,
    choice_index,
    match_choice,
    parse_choices,
    parse_date,
    parse_height_cm,
    parse_weight_kg,
    parse_yes_no,
    split_choices,
)
from packetstudio.clientcsv.cells import neutralise, restore
from packetstudio.clientcsv.exporting import export_header
from packetstudio.clientcsv.mapping import suggest
from packetstudio.demo import demo_intakes
from packetstudio.intake import CM_PER_IN, KG_PER_LB, Intake, parse_intake
from packetstudio.store import Database
from packetstudio.store.clients import (
    add_client,
    add_clients,
    count_clients,
    current_intakes,
    delete_client,
    intake_history,
)
from packetstudio.vocabulary import (
    ActivityLevel,
    Allergen,
    BodyArea,
    ClientType,
    DietType,
    Equipment,
    Experience,
    Goal,
    InjuryStatus,
    SeasonPhase,
    Sex,
    Side,
    WorkoutTime,
)
from tests.conftest import EXAMPLES, example

TODAY = date(2025, 6, 1)
BOM = "\ufeff"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` exactly as given (no newline translation)."""
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def plan_file(
    db: Database, path: Path, mapping: ImportMapping | None = None
) -> ImportPlan:
    return plan_import(db, read_csv(path), mapping or ImportMapping(), today=TODAY)


def lb(pounds: float) -> float:
    return pounds * KG_PER_LB


def inches(feet: int, inch: int) -> float:
    return (feet * 12 + inch) * CM_PER_IN


def intake(**fields: Any) -> Intake:
    """Build the expected intake the way the model would store it."""
    return parse_intake(fields)


# -- Google Forms: Timestamp, question headers, commas, CRLF, quoted newlines --

GOOGLE_HEADER = (
    "Timestamp,Email Address,Full name,Date of birth,Sex,Height,"
    "What is your weight?,Which best describes you?,"
    "What is your main fitness goal?,How active are you?,"
    "How many days per week can you train?,How long can each session be?,"
    "Preferred workout time,Which equipment do you have access to?,"
    "Do you have any injuries?,Do you follow a specific diet?,Allergies,"
    "Foods you avoid,How many meals do you eat per day?,"
    "Biggest struggles with eating well,Anything else we should know?"
)
GOOGLE_ROWS = (
    "4/21/2024 10:15:30,maria.lopez@example.com,Maria Lopez,9/14/1990,Female,"
    '"5\'5""",160 lbs,General fitness,Lose weight,Lightly active,3,45 minutes,'
    '6:30 PM,"Dumbbells, Resistance bands, Bench",Left knee,Vegetarian,'
    '"Tree nuts, Peanuts","mushrooms, olives",4,"Cravings, Eating out",'
    '"Knee surgery in 2019.\nPrefers morning sessions."',
    "4/22/2024 8:01:02,tom.becker@example.com,Tom Becker,3/4/1985,Male,180 cm,"
    "82kg,General fitness,Build muscle,Very active,4 days,1 hour,Morning,"
    '"Barbell, Dumbbells, Pull-up bar, Cardio machines (treadmill, bike)",'
    "None,No,None,,5,,",
)


def google_csv(folder: Path) -> Path:
    return write(folder, "google.csv", "\r\n".join((GOOGLE_HEADER, *GOOGLE_ROWS)))


def test_google_forms_export_reads_every_answer(db: Database, tmp_path: Path) -> None:
    plan = plan_file(db, google_csv(tmp_path))

    maria, tom = plan.rows
    assert [maria.number, tom.number] == [2, 3]
    assert maria.intake == intake(
        full_name="Maria Lopez",
        email="maria.lopez@example.com",
        date_of_birth="1990-09-14",
        sex="female",
        height_cm=inches(5, 5),
        weight_kg=lb(160),
        client_type="general",
        goal="fat_loss",
        activity_level="lightly_active",
        days_per_week=3,
        session_minutes=45,
        preferred_workout_time="18:30",
        equipment=["dumbbells", "bands", "bench"],
        injuries=[{"area": "knee", "side": "left"}],
        diet_type="vegetarian",
        allergies=["tree_nuts", "peanuts"],
        foods_to_avoid=["mushrooms", "olives"],
        meals_per_day=4,
        struggles=["Cravings", "Eating out"],
        notes="Knee surgery in 2019.\nPrefers morning sessions.",
    )
    # 3/4/1985 could be either; 9/14/1990 in row 2 shows the file is month first.
    assert tom.intake == intake(
        full_name="Tom Becker",
        email="tom.becker@example.com",
        date_of_birth="1985-03-04",
        sex="male",
        height_cm=180,
        weight_kg=82,
        client_type="general",
        goal="muscle_gain",
        activity_level="very_active",
        days_per_week=4,
        session_minutes=60,
        preferred_workout_time="morning",
        equipment=["barbell", "dumbbells", "pull_up_bar", "cardio_machines"],
        diet_type="omnivore",
        meals_per_day=5,
    )
    assert plan.date_order is DateOrder.MONTH_FIRST
    assert "month first, as row 2 shows" in " ".join(plan.notes)


def test_google_forms_units_come_out_metric_to_one_decimal(
    db: Database, tmp_path: Path
) -> None:
    maria = plan_file(db, google_csv(tmp_path)).rows[0].intake
    assert maria is not None
    assert (maria.height_cm, maria.weight_kg) == (165.1, 72.6)


# -- Typeform: BOM, "#" and date columns, conversational headers, "; " lists --

TYPEFORM = (
    BOM + "#,\"First, what's your name?\",What's your email address?,"
    "When were you born?,Are you male or female?,How tall are you?,"
    "How much do you weigh?,Which of these describes you best?,"
    "What's your main goal?,How active are you day to day?,"
    "How experienced are you with training?,How many days a week can you train?,"
    "How long do you like to train for?,What time of day suits you best?,"
    "What equipment can you use?,Any food allergies?,"
    "Any injuries we should know about?,Do you follow a particular diet?,"
    "Anything else?,Start Date (UTC),Submit Date (UTC),Network ID\n"
    "k2x9q1,Zoë Müller,zoe.mueller@example.com,1988-11-30,Female,1.68 m,"
    '"64,5 kg",General,Get fit,Moderately active,Some experience,3,45 min,'
    "Evening,Kettlebells; Resistance bands; Body weight only,Dairy; Gluten,"
    'Lower back; Right shoulder,Vegan,"Works night shifts.\nCan only train '
    'at weekends.",2024-04-21 10:00:00,2024-04-21 10:06:12,8f3a21c9d0\n'
    'k2x9q2,Ravi Patel,ravi.patel@example.com,1979-02-07,Male,"5\' 10",180 lbs,'
    "General,Maintain,Sedentary,New to training,2,30 min,Lunchtime,None,None,"
    "None,Omnivore,,2024-04-22 07:00:00,2024-04-22 07:03:40,1b2c3d4e5f\n"
)


def test_typeform_export_reads_every_answer(db: Database, tmp_path: Path) -> None:
    plan = plan_file(db, write(tmp_path, "typeform.csv", TYPEFORM))

    zoe, ravi = plan.rows
    assert zoe.intake == intake(
        full_name="Zoë Müller",
        email="zoe.mueller@example.com",
        date_of_birth="1988-11-30",
        sex="female",
        height_cm=168,
        weight_kg=64.5,
        client_type="general",
        goal="general_health",
        activity_level="moderately_active",
        training_experience="intermediate",
        days_per_week=3,
        session_minutes=45,
        preferred_workout_time="evening",
        equipment=["kettlebells", "bands", "bodyweight"],
        allergies=["dairy", "gluten"],
        injuries=[{"area": "lower_back"}, {"area": "shoulder", "side": "right"}],
        diet_type="vegan",
        notes="Works night shifts.\nCan only train at weekends.",
    )
    assert ravi.intake == intake(
        full_name="Ravi Patel",
        email="ravi.patel@example.com",
        date_of_birth="1979-02-07",
        sex="male",
        height_cm=inches(5, 10),
        weight_kg=lb(180),
        client_type="general",
        goal="maintenance",
        activity_level="sedentary",
        training_experience="beginner",
        days_per_week=2,
        session_minutes=30,
        preferred_workout_time="midday",
        equipment=["bodyweight"],
        diet_type="omnivore",
    )
    assert read_csv(tmp_path / "typeform.csv").encoding == "UTF-8 with BOM"


def test_typeform_bookkeeping_columns_are_ignored(db: Database, tmp_path: Path) -> None:
    plan = plan_file(db, write(tmp_path, "typeform.csv", TYPEFORM))
    ignored = {h for h, t in plan.mapping.columns.items() if t == "ignore"}
    assert ignored == {"#", "Start Date (UTC)", "Submit Date (UTC)", "Network ID"}


# -- JotForm: semicolons, Submission Date, First/Last name, mixed units ---------

JOTFORM = (
    "Submission Date;First Name;Last Name;E-mail;Phone Number;Birth Date;Gender;"
    "Height;Weight;Client Type;Goal;Activity Level;Training Experience;"
    "Days per week;Session length (minutes);Equipment;Allergies;Sport;Position;"
    "Season phase;Competition level\r\n"
    "Apr 21, 2024;Kwame;Mensah;kwame.mensah@example.com;+44 20 7946 0018;"
    '21-04-1990;Male;"5\'10""";82kg;Athlete;Athletic performance;Very active;'
    'Advanced;5;60;"Barbell\nBench\nDumbbells";Eggs;Rugby;Prop;Pre-season;'
    "Club\r\n"
    "Apr 22, 2024;Aoife;O'Brien;aoife@example.com;;04-05-1992;Female;172 cm;"
    '"9 st 6";Athlete;Performance;Extra active;Intermediate;6;90 min;'
    '"Kettlebells\nPull-up bar";;Hurling;Forward;In season;County\r\n'
)


def test_jotform_export_reads_every_answer(db: Database, tmp_path: Path) -> None:
    plan = plan_file(db, write(tmp_path, "jotform.csv", JOTFORM))

    kwame, aoife = plan.rows
    assert kwame.intake == intake(
        full_name="Kwame Mensah",
        email="kwame.mensah@example.com",
        phone="+44 20 7946 0018",
        date_of_birth="1990-04-21",
        sex="male",
        height_cm=inches(5, 10),
        weight_kg=82,
        client_type="athlete",
        goal="performance",
        activity_level="very_active",
        training_experience="advanced",
        days_per_week=5,
        session_minutes=60,
        equipment=["barbell", "bench", "dumbbells"],
        allergies=["eggs"],
        sport="Rugby",
        position="Prop",
        season_phase="pre_season",
        competition_level="Club",
    )
    # 04-05-1992 could be either; 21-04-1990 in row 2 makes the file day first.
    assert aoife.intake == intake(
        full_name="Aoife O'Brien",
        email="aoife@example.com",
        date_of_birth="1992-05-04",
        sex="female",
        height_cm=172,
        weight_kg=lb(9 * 14 + 6),
        client_type="athlete",
        goal="performance",
        activity_level="extra_active",
        training_experience="intermediate",
        days_per_week=6,
        session_minutes=90,
        equipment=["kettlebells", "pull_up_bar"],
        sport="Hurling",
        position="Forward",
        season_phase="in_season",
        competition_level="County",
    )
    table = read_csv(tmp_path / "jotform.csv")
    assert (table.delimiter, plan.date_order) == (";", DateOrder.DAY_FIRST)


# -- bad rows -----------------------------------------------------------------

MIXED = (
    "Full name,Date of birth,Sex,Height,Weight (kg),Client type,Goal,"
    "Activity level,Allergies\n"
    "Ana Silva,1991-06-02,female,165 cm,60,general,fat loss,sedentary,\n"
    "Bad Weight,1985-01-01,male,180 cm,heavy,general,fat loss,sedentary,\n"
    "Ben Okafor,1987-08-19,male,6 ft,90,general,muscle gain,very active,\n"
    "No Sex,1980-03-03,,170 cm,70,general,maintenance,sedentary,Nuts\n"
)


def test_bad_rows_are_reported_with_row_field_and_message(
    db: Database, tmp_path: Path
) -> None:
    plan = plan_file(db, write(tmp_path, "mixed.csv", MIXED))

    found = {(p.row, p.field, p.column) for p in plan.problems()}
    assert found == {
        (3, "weight_kg", "Weight (kg)"),
        (5, "sex", ""),
        (5, "allergies", "Allergies"),
    }
    messages = {p.row: p.message for p in plan.problems() if p.field != "sex"}
    assert messages[3] == (
        "Weight: 'heavy' is not a weight; write it like 82 kg or 180 lb"
    )
    assert "'Nuts' is not one of the choices" in messages[5]


def test_good_rows_are_imported_and_bad_ones_change_nothing(
    db: Database, tmp_path: Path
) -> None:
    existing = add_client(db, parse_intake(example("general")))
    plan = plan_file(db, write(tmp_path, "mixed.csv", MIXED))

    result = apply_import(db, plan)

    assert result.rejected == 2
    assert count_clients(db) == 3
    names = {name for _, name, _ in current_intakes(db)}
    assert names == {"Maria Lopez", "Ana Silva", "Ben Okafor"}
    assert len(intake_history(db, existing)) == 1


def test_the_report_lists_each_problem_as_a_csv_row(
    db: Database, tmp_path: Path
) -> None:
    plan = plan_file(db, write(tmp_path, "mixed.csv", MIXED))
    report = default_report_path(tmp_path / "mixed.csv")

    write_report(plan, report)

    text = report.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert report.name == "mixed-errors.csv"
    assert [(r["row"], r["name"], r["field"]) for r in rows] == [
        ("3", "Bad Weight", "weight_kg"),
        ("5", "No Sex", "allergies"),
        ("5", "No Sex", "sex"),
    ]
    assert rows[0]["answer"] == "heavy"
    assert rows[2]["message"] == "Sex is required"


def test_a_row_with_too_many_cells_is_rejected(db: Database, tmp_path: Path) -> None:
    text = MIXED.splitlines()[0] + "\n" + MIXED.splitlines()[1] + ",extra,cells\n"
    plan = plan_file(db, write(tmp_path, "long.csv", text))
    [problem] = plan.problems()
    assert (problem.row, problem.field, problem.answer) == (2, "row", "extra | cells")


def test_an_ambiguous_date_in_a_file_without_clues_is_reported(
    db: Database, tmp_path: Path
) -> None:
    text = (
        MIXED.splitlines()[0]
        + "\n"
        + MIXED.splitlines()[1].replace("1991-06-02", "04/05/1991")
    )
    plan = plan_file(db, write(tmp_path, "vague.csv", text))
    [problem] = plan.problems()
    assert problem.field == "date_of_birth"
    assert "could be 4 May 1991 or 5 April 1991" in problem.message


def test_a_date_order_in_the_mapping_settles_ambiguous_dates(
    db: Database, tmp_path: Path
) -> None:
    text = (
        MIXED.splitlines()[0]
        + "\n"
        + MIXED.splitlines()[1].replace("1991-06-02", "04/05/1991")
    )
    path = write(tmp_path, "vague.csv", text)
    plan = plan_file(db, path, ImportMapping(date_order=DateOrder.MONTH_FIRST))
    assert plan.rows[0].intake is not None
    assert plan.rows[0].intake.date_of_birth == date(1991, 4, 5)


# -- duplicates -----------------------------------------------------------------

DUPLICATE = (
    "Full name,Date of birth,Sex,Height,Weight (kg),Client type,Goal,"
    "Activity level\n"
    "maria lopez,1990-04-21,female,165 cm,68,general,fat loss,lightly active\n"
    "Sam Kim,2000-01-15,male,175 cm,70,general,maintenance,sedentary\n"
)


def test_a_client_already_there_is_found_by_name_and_birthday(
    db: Database, tmp_path: Path
) -> None:
    existing = add_client(db, parse_intake(example("general")))
    plan = plan_file(db, write(tmp_path, "dup.csv", DUPLICATE))
    maria, sam = plan.rows
    assert (maria.status, maria.duplicate_of) == (RowStatus.DUPLICATE, existing)
    assert sam.status is RowStatus.NEW


def test_skipping_a_duplicate_leaves_the_client_as_it_was(
    db: Database, tmp_path: Path
) -> None:
    existing = add_client(db, parse_intake(example("general")))
    plan = plan_file(db, write(tmp_path, "dup.csv", DUPLICATE))

    result = apply_import(db, plan, default=DuplicateChoice.SKIP)

    assert (len(result.created), result.updated, result.skipped) == (1, (), 1)
    assert len(intake_history(db, existing)) == 1


def test_updating_a_duplicate_adds_an_intake_version(
    db: Database, tmp_path: Path
) -> None:
    existing = add_client(db, parse_intake(example("general")))
    plan = plan_file(db, write(tmp_path, "dup.csv", DUPLICATE))

    result = apply_import(db, plan, {2: DuplicateChoice.UPDATE})

    assert result.updated == (existing,)
    history = intake_history(db, existing)
    assert [version for version, _, _ in history] == [1, 2]
    assert history[-1][2].weight_kg == 68
    assert count_clients(db) == 2


def test_an_import_that_fails_half_way_stores_nothing(
    db: Database, tmp_path: Path
) -> None:
    existing = add_client(db, parse_intake(example("general")))
    plan = plan_file(db, write(tmp_path, "dup.csv", DUPLICATE))
    delete_client(db, existing)

    with pytest.raises(ImportConflict, match="nothing was imported"):
        apply_import(db, plan, default=DuplicateChoice.UPDATE)

    assert count_clients(db) == 0


def test_a_person_twice_in_one_file_is_a_duplicate_of_the_earlier_row(
    db: Database, tmp_path: Path
) -> None:
    again = DUPLICATE.splitlines()[2].replace("70,general", "72,general")
    path = write(tmp_path, "twice.csv", DUPLICATE + again + "\n")
    plan = plan_file(db, path)
    assert plan.rows[2].duplicate_of_row == 3

    result = apply_import(db, plan, default=DuplicateChoice.UPDATE)

    sam = result.created[1]
    assert result.updated == (sam,)
    assert [x.weight_kg for _, _, x in intake_history(db, sam)] == [70, 72]


# -- mappings -------------------------------------------------------------------


def test_a_mapping_file_round_trips(tmp_path: Path) -> None:
    mapping = ImportMapping(
        columns={"Wt": "weight_lb", "Timestamp": "ignore", "Née": "last_name"},
        date_order=DateOrder.DAY_FIRST,
        defaults={"client_type": "general"},
    )
    save_mapping(mapping, tmp_path / "m.json")
    assert load_mapping(tmp_path / "m.json") == mapping


def test_a_mapping_corrects_a_guess_and_gives_defaults(
    db: Database, tmp_path: Path
) -> None:
    text = "Name,Born,Sex,Height,Wt\nLea Novák,1993-07-08,female,5 ft 4,130\n"
    mapping = ImportMapping(
        columns={"Wt": "weight_lb"},
        defaults={
            "client_type": "general",
            "goal": "general health",
            "activity_level": "lightly active",
        },
    )
    plan = plan_file(db, write(tmp_path, "m.csv", text), mapping)
    assert plan.rows[0].intake == intake(
        full_name="Lea Novák",
        date_of_birth="1993-07-08",
        sex="female",
        height_cm=inches(5, 4),
        weight_kg=lb(130),
        client_type="general",
        goal="general_health",
        activity_level="lightly_active",
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"columns": {"Wt": "weigth"}}', "'weigth' is not an intake field"),
        ('{"date_format": "YYYY"}', "date_format must be"),
        ('{"colums": {}}', "unknown key 'colums'"),
        ("[1, 2]", "must be a JSON object"),
        ("{", "not valid JSON"),
    ],
)
def test_a_bad_mapping_file_is_refused_with_its_name(
    tmp_path: Path, content: str, words: str
) -> None:
    path = write(tmp_path, "bad.json", content)
    with pytest.raises(MappingError, match=words) as raised:
        load_mapping(path)
    assert str(path) in str(raised.value)


def test_the_remembered_mapping_keeps_columns_of_other_forms(
    sqlite_db: Database,
) -> None:
    remember_mapping(sqlite_db, ImportMapping({"Wt": "weight_lb"}))
    remember_mapping(
        sqlite_db, ImportMapping({"Size": "height_cm"}, DateOrder.DAY_FIRST)
    )
    # The date order belongs to one file and is not remembered.
    saved = load_saved_mapping(sqlite_db)
    assert saved == ImportMapping({"Wt": "weight_lb", "Size": "height_cm"})


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("What is your goal weight?", "ignore"),
        ("Weight (lbs)", "weight_lb"),
        ("Current weight in kg", "weight_kg"),
        ("Height in feet and inches", "height"),
        ("Height (cm)", "height_cm"),
        ("First name", "first_name"),
        ("Emergency contact name", "ignore"),
        ("Parent/guardian name", "guardian_name"),
        ("E-mail", "email"),
        ("DOB", "date_of_birth"),
    ],
)
def test_headers_are_matched_by_their_words(header: str, target: str) -> None:
    assert suggest(header) == target


def test_every_export_column_maps_back_to_itself() -> None:
    header = export_header(injury_count=2)
    intake_columns = [h for h in header if h != "client_id" and "packet." not in h]
    assert all(suggest(h) == h for h in intake_columns)
    assert all(suggest(h) == "ignore" for h in header if h not in intake_columns)


# -- answers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cm"),
    [
        ("5'10\"", inches(5, 10)),
        ("5 ft 10", inches(5, 10)),
        ("5' 10", inches(5, 10)),
        ("5 feet 10 inches", inches(5, 10)),
        ("5′10″", inches(5, 10)),
        ("70 in", 70 * CM_PER_IN),
        ("178 cm", 178),
        ("1.78 m", 178),
        ("1,78 m", 178),
        ("178", 178),
    ],
)
def test_heights_are_read_in_any_unit(text: str, cm: float) -> None:
    assert parse_height_cm(text) == pytest.approx(cm)


@pytest.mark.parametrize(
    ("text", "kg"),
    [
        ("180 lbs", lb(180)),
        ("180 pounds", lb(180)),
        ("82kg", 82),
        ("82,5 kg", 82.5),
        ("12 st 4", lb(12 * 14 + 4)),
    ],
)
def test_weights_are_read_in_any_unit(text: str, kg: float) -> None:
    assert parse_weight_kg(text) == pytest.approx(kg)


def test_a_bare_weight_needs_a_unit_from_the_answer_or_the_column() -> None:
    with pytest.raises(AnswerError, match="has no unit"):
        parse_weight_kg("80")
    assert parse_weight_kg("80", "lb") == pytest.approx(lb(80))


def test_a_bare_height_that_could_be_inches_is_refused() -> None:
    with pytest.raises(AnswerError, match="has no unit"):
        parse_height_cm("70")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Yes", True),
        ("y", True),
        ("TRUE", True),
        ("Yes, cleared", True),
        ("No", False),
        ("false", False),
        ("0", False),
        ("Not yet", False),
    ],
)
def test_yes_and_no_in_several_spellings(text: str, value: bool) -> None:
    assert parse_yes_no(text) is value


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("1990-04-21", date(1990, 4, 21)),
        ("21/04/1990", date(1990, 4, 21)),
        ("04/21/1990", date(1990, 4, 21)),
        ("21.04.1990", date(1990, 4, 21)),
        ("March 4, 1990", date(1990, 3, 4)),
        ("4 March 1990", date(1990, 3, 4)),
        ("4th Mar 1990", date(1990, 3, 4)),
        ("4/21/90", date(1990, 4, 21)),
    ],
)
def test_dates_are_read_in_several_formats(text: str, day: date) -> None:
    assert parse_date(text, None, TODAY) == day


def test_an_order_decides_a_date_that_could_be_either() -> None:
    assert parse_date("04/05/1990", DateOrder.DAY_FIRST, TODAY) == date(1990, 5, 4)
    assert parse_date("04/05/1990", DateOrder.MONTH_FIRST, TODAY) == date(1990, 4, 5)


def test_checkbox_choices_are_matched_as_whole_words_never_inside_others() -> None:
    found, unknown = parse_choices(
        "Tree nuts, Peanuts, Peanut butter, Nuts, None", Allergen
    )
    assert found == [Allergen.TREE_NUTS, Allergen.PEANUTS]
    assert unknown == ["Peanut butter", "Nuts"]


def test_choices_split_on_semicolons_first_and_never_inside_brackets() -> None:
    assert split_choices("a, b; c") == ["a, b", "c"]
    assert split_choices("Cardio (bike, rower), Bench") == [
        "Cardio (bike, rower)",
        "Bench",
    ]


@pytest.mark.parametrize(
    "enum",
    [
        Sex,
        ClientType,
        Goal,
        ActivityLevel,
        Experience,
        Equipment,
        BodyArea,
        Side,
        InjuryStatus,
        DietType,
        Allergen,
        SeasonPhase,
        WorkoutTime,
    ],
)
def test_no_wording_means_two_values(enum: Any) -> None:
    index = choice_index(enum)
    assert all(match_choice(member.value, enum) is member for member in enum)
    assert len(index) >= len(enum)


# -- reading files ----------------------------------------------------------------


def test_a_windows_1252_file_is_read_and_said_so(tmp_path: Path) -> None:
    path = write(tmp_path, "old.csv", "Full name;Sex\nJosé Núñez;male\n", "cp1252")
    table = read_csv(path)
    assert table.rows[0].cells == ("José Núñez", "male")
    assert "read as Windows-1252" in table.notes[0]


def test_a_file_that_is_no_text_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\x81\x8d\x8f\x90\x9d" * 10)
    with pytest.raises(CsvReadError, match=r"binary\.csv is not UTF-8"):
        read_csv(path)


def test_a_workbook_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"PK\x03\x04rest of a zip")
    with pytest.raises(CsvReadError, match="Save it as CSV"):
        read_csv(path)


def test_tabs_and_an_unclosed_quote(tmp_path: Path) -> None:
    tabbed = read_csv(write(tmp_path, "t.csv", "Full name\tSex\nA B\tmale\n"))
    assert (tabbed.delimiter, tabbed.rows[0].cells) == ("\t", ("A B", "male"))
    with pytest.raises(CsvReadError, match="line 2"):
        read_csv(write(tmp_path, "cut.csv", 'Full name,Notes\nA B,"never closed\n'))


def test_an_excel_separator_line_and_utf16_are_understood(tmp_path: Path) -> None:
    text = "sep=;\r\nFull name;Notes\r\nZoë Ångström;a, b\r\n"
    table = read_csv(write(tmp_path, "u.csv", BOM + text, "utf-16-le"))
    assert (table.encoding, table.delimiter) == ("UTF-16", ";")
    assert table.rows[0].cells == ("Zoë Ångström", "a, b")


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path, "gaps.csv", "Name,Sex\n\n,\nA B,male\n"))
    assert [row.number for row in table.rows] == [4]


# -- export ---------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "+cmd", "@SUM(A1)", "-2+3"]


def test_cells_that_would_run_as_formulas_are_neutralised() -> None:
    for text in FORMULAS:
        assert neutralise(text) == "'" + text
        assert restore(neutralise(text)) == text
    assert neutralise("'Tis") == "'Tis"
    assert restore("'Tis") == "'Tis"


def test_the_export_neutralises_formulas_and_the_import_restores_them(
    db: Database, tmp_path: Path
) -> None:
    base = example("general")
    add_clients(db, [parse_intake(base | {"full_name": n}) for n in FORMULAS])
    out = tmp_path / "clients.csv"

    write_clients_csv(db, out)

    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["'" + n for n in FORMULAS]
    assert all(row[3] == "'+1 555 201 3344" for row in rows[1:])
    fresh = _round_trip_db(tmp_path)
    try:
        plan = plan_import(fresh, read_csv(out), ImportMapping(), today=TODAY)
    finally:
        fresh.close()
    assert [row.name for row in plan.rows] == FORMULAS


def _round_trip_db(tmp_path: Path) -> Database:
    return Database.open(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")


def test_an_export_imported_into_a_fresh_database_gives_the_same_clients(
    db: Database, tmp_path: Path
) -> None:
    originals = [parse_intake(example(path.stem)) for path in EXAMPLES]
    originals += [parse_intake(raw) for raw in demo_intakes(40, seed=11)]
    originals.append(
        parse_intake(
            example("general")
            | {
                "full_name": FORMULAS[0],
                "medical_conditions": ["high blood pressure, controlled"],
                "injuries": [
                    {"area": "knee", "side": "left", "status": "recovering"},
                    {"area": "hip", "notes": "-2 degrees of rotation; old"},
                ],
            }
        )
    )
    add_clients(db, originals)
    out = tmp_path / "clients.csv"
    write_clients_csv(db, out)

    fresh = _round_trip_db(tmp_path)
    try:
        plan = plan_import(fresh, read_csv(out), ImportMapping(), today=TODAY)
        assert plan.problems() == []
        apply_import(fresh, plan)
        imported = [x for _, _, x in current_intakes(fresh)]
    finally:
        fresh.close()
    assert imported == [x for _, _, x in current_intakes(db)]


def test_the_export_has_the_latest_packet_status_per_type(
    sqlite_db: Database, tmp_path: Path
) -> None:
    from packetstudio.queue import jobs

    client = add_client(sqlite_db, parse_intake(example("general")))
    jobs.enqueue(sqlite_db, [(client, "nutrition"), (client, "workout")])
    out = tmp_path / "clients.csv"

    write_clients_csv(sqlite_db, out)

    [row] = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))
    assert (row["packet.nutrition"], row["packet.workout"]) == ("queued", "queued")
    assert row["packet.youth"] == ""


# -- the command line -------------------------------------------------------------


@pytest.fixture
def run(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``packetstudio --db <temp> ARGS``; return (status, out, err)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--db", sqlite_url, *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def _clients(sqlite_url: str) -> list[tuple[int, str, Intake]]:
    db = Database.open(sqlite_url)
    try:
        return current_intakes(db)
    finally:
        db.close()


def test_cli_import_reports_rejected_rows_and_exits_0(
    run: Any, tmp_path: Path, sqlite_url: str
) -> None:
    path = write(tmp_path, "mixed.csv", MIXED)

    status, out, err = run("clients", "import", str(path))

    assert status == 0
    assert out == "Imported 2 new clients, updated 0, skipped 0 duplicates.\n"
    assert f"2 rows with errors were not imported; see {tmp_path}" in err
    assert (tmp_path / "mixed-errors.csv").exists()
    assert len(_clients(sqlite_url)) == 2


def test_cli_dry_run_changes_nothing(run: Any, tmp_path: Path, sqlite_url: str) -> None:
    path = write(tmp_path, "mixed.csv", MIXED)
    status, out, _ = run("clients", "import", str(path), "--dry-run")
    assert status == 0
    assert out.startswith("Dry run, nothing changed: 2 new clients")
    assert _clients(sqlite_url) == []


def test_cli_skips_duplicates_without_a_terminal(
    run: Any, tmp_path: Path, sqlite_url: str
) -> None:
    path = write(tmp_path, "dup.csv", DUPLICATE)
    run("clients", "import", str(path))

    status, out, err = run("clients", "import", str(path))

    assert status == 0
    assert "skipped 2 duplicates" in out
    assert "use --on-duplicate update" in err


def test_cli_asks_about_duplicates_on_a_terminal(
    run: Any, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "dup.csv", DUPLICATE)
    run("clients", "import", str(path))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("u\n"))
    status, out, err = run("clients", "import", str(path))

    assert status == 0
    assert "updated 2" in out
    assert "row 2: maria lopez (same as client 1)" in err
    db = Database.open(sqlite_url)
    try:
        assert len(intake_history(db, 1)) == 2
    finally:
        db.close()


def test_cli_on_duplicate_update_and_a_report_path(run: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "dup.csv", DUPLICATE)
    run("clients", "import", str(path))
    status, out, _ = run("clients", "import", str(path), "--on-duplicate", "update")
    assert (status, "updated 2" in out) == (0, True)

    report = tmp_path / "elsewhere.csv"
    status, _, err = run(
        "clients",
        "import",
        str(write(tmp_path, "m.csv", MIXED)),
        "--report",
        str(report),
    )
    assert status == 0 and report.exists() and str(report) in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.csv"], "missing.csv: no such file"),
        (["mixed.csv", "--mapping", "nope.json"], "nope.json: no such file"),
        (["mixed.csv", "--mapping", "bad.json"], "'height_mm' is not an intake field"),
        (["header.csv"], "has a header row but no answers"),
    ],
)
def test_cli_import_user_errors_exit_2(
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "mixed.csv", MIXED)
    write(tmp_path, "header.csv", "Full name,Sex\n")
    write(tmp_path, "bad.json", json.dumps({"columns": {"Height": "height_mm"}}))

    status, out, err = run("clients", "import", *args)

    assert (status, out) == (2, "")
    assert words in err


def test_cli_mapping_files_can_be_saved_and_used(run: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "m.csv",
        "Name,Born,Sex,Height,Wt\nLea Novák,1993-07-08,f,163 cm,130\n",
    )
    saved = tmp_path / "mapping.json"
    run("clients", "import", str(path), "--dry-run", "--save-mapping", str(saved))
    data = json.loads(saved.read_text())
    # "Wt" is no word the importer knows: the person corrects the mapping.
    assert data["columns"]["Wt"] == "ignore"

    data["columns"]["Wt"] = "weight_lb"
    data["defaults"] = {
        "client_type": "general",
        "goal": "fat loss",
        "activity_level": "sedentary",
    }
    saved.write_text(json.dumps(data))
    status, out, _ = run("clients", "import", str(path), "--mapping", str(saved))
    assert (status, out) == (
        0,
        "Imported 1 new client, updated 0, skipped 0 duplicates.\n",
    )


def test_cli_export_refuses_to_overwrite_without_force(
    run: Any, tmp_path: Path
) -> None:
    run("demo", "--clients", "3")
    out = tmp_path / "clients.csv"
    out.write_text("keep me")

    status, _, err = run("clients", "export", str(out))
    assert (status, out.read_text()) == (2, "keep me")
    assert "already exists; use --force" in err

    status, printed, _ = run("clients", "export", str(out), "--force")
    assert (status, printed) == (0, f"Exported 3 clients to {out}\n")
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 4


def test_cli_export_into_a_missing_folder_is_a_user_error(
    run: Any, tmp_path: Path
) -> None:
    status, _, err = run("clients", "export", str(tmp_path / "no" / "c.csv"))
    assert status == 2 and "no such folder" in err
