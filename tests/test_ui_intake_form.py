"""The intake form, driven as a front-desk worker would: keys and clicks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from packetstudio.intake import CM_PER_IN, KG_PER_LB, parse_intake
from packetstudio.ui.intake_form import IntakeDialog
from packetstudio.vocabulary import BodyArea, PacketType
from tests.conftest import example

# WORKAROUND: Qt's offscreen platform warns "This plugin does not support
# propagateSizeHints()" (and raise()) when a dialog is shown and activated;
# it says nothing about the form. Every other Qt warning still fails a test.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

TODAY = date(2025, 6, 1)


@pytest.fixture
def open_form(qtbot: Any) -> Iterator[Any]:
    """Return a function that shows an intake dialog, active and ready."""

    def opener(**kwargs: Any) -> IntakeDialog:
        dialog = IntakeDialog(today=TODAY, **kwargs)
        qtbot.addWidget(dialog)
        with qtbot.waitActive(dialog):
            dialog.show()
            dialog.activateWindow()
        return dialog

    yield opener


def find(dialog: QDialog, name: str) -> Any:
    widget = dialog.findChild(QWidget, name)
    assert widget is not None, f"no widget named {name!r}"
    return widget


def settle(qtbot: Any, dialog: QDialog) -> None:
    """Wait until the form has validated what was typed."""
    timer = dialog.findChild(QTimer, "validation_timer")
    assert timer is not None
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=2000)


def retype(qtbot: Any, widget: QWidget, text: str) -> None:
    """Select everything in ``widget`` and type ``text`` over it."""
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(widget, text)
    else:
        qtbot.keyClick(widget, Qt.Key.Key_Backspace)


def choose(qtbot: Any, combo: QComboBox, text: str) -> None:
    """Pick the item starting with ``text`` with the arrow keys.

    Arrows, not typing: typed letters go to a search that joins what was
    typed moments before ("Athlete" then "Recovery" finds nothing).
    """
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText().startswith(text):
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"{combo.objectName()} has no item {text!r}")


def test_a_new_general_client_can_be_saved_only_once_complete(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form()
    save = find(dialog, "save")
    steps = [
        lambda: qtbot.keyClicks(find(dialog, "full_name"), "Maria Lopez"),
        lambda: choose(qtbot, find(dialog, "sex"), "Female"),
        lambda: qtbot.keyClicks(find(dialog, "date_of_birth"), "1990-04-21"),
        lambda: qtbot.keyClicks(find(dialog, "height_cm"), "165"),
        lambda: qtbot.keyClicks(find(dialog, "weight_kg"), "72.5"),
        lambda: choose(qtbot, find(dialog, "goal"), "Fat loss"),
        lambda: choose(qtbot, find(dialog, "activity_level"), "Lightly"),
    ]
    for step in steps:
        settle(qtbot, dialog)
        assert not save.isEnabled()
        step()
    settle(qtbot, dialog)
    assert save.isEnabled()

    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.intake() == parse_intake(
        {
            "full_name": "Maria Lopez",
            "sex": "female",
            "date_of_birth": "1990-04-21",
            "height_cm": 165,
            "weight_kg": 72.5,
            "client_type": "general",
            "goal": "fat_loss",
            "activity_level": "lightly_active",
        }
    )


def test_an_out_of_range_weight_is_explained_under_the_weight(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    weight, error = find(dialog, "weight_kg"), find(dialog, "error_weight_kg")
    save = find(dialog, "save")

    retype(qtbot, weight, "900")
    settle(qtbot, dialog)

    assert error.isVisible()
    assert error.text().startswith("Weight must be between 20 and 350 kg")
    assert weight.accessibleDescription() == error.text()
    assert weight.property("invalid") is True
    assert not save.isEnabled()

    retype(qtbot, weight, "70")
    settle(qtbot, dialog)

    assert error.text() == ""
    assert not error.isVisible()
    assert weight.accessibleDescription() == ""
    assert save.isEnabled()


def test_imperial_height_and_weight_are_saved_in_metric(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("general")), units="imperial")
    retype(qtbot, find(dialog, "height_ft"), "5")
    retype(qtbot, find(dialog, "height_in"), "10")
    retype(qtbot, find(dialog, "weight_lb"), "180")
    settle(qtbot, dialog)

    qtbot.mouseClick(find(dialog, "save"), Qt.MouseButton.LeftButton)

    saved = dialog.intake()
    assert saved is not None
    assert saved.height_cm == round(70 * CM_PER_IN, 1)
    assert saved.weight_kg == round(180 * KG_PER_LB, 1)


def test_imperial_display_leaves_untouched_measures_exactly_as_they_were(
    qtbot: Any, open_form: Any
) -> None:
    original = parse_intake(example("general"))  # 165 cm: 5 ft 5 in is 165.1
    dialog = open_form(intake=original, units="imperial")
    assert find(dialog, "height_ft").value() == 5
    assert find(dialog, "height_in").value() == 5

    qtbot.mouseClick(find(dialog, "save"), Qt.MouseButton.LeftButton)

    assert dialog.intake() == original


def test_only_the_chosen_client_types_section_is_shown(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form()
    client_type = find(dialog, "client_type")

    def shown(name: str) -> bool:
        return bool(find(dialog, name).isVisibleTo(dialog))

    for name in ("sport", "guardian_name", "recovery_area"):
        assert not shown(name)

    choose(qtbot, client_type, "Athlete")
    assert shown("sport") and shown("season_phase")
    assert not shown("guardian_name") and not shown("recovery_pain_now")

    choose(qtbot, client_type, "Recovery")
    assert shown("recovery_pain_now") and shown("recovery_red_flags")
    assert not shown("sport") and not shown("school_grade")


def test_editing_fills_every_field_and_changes_only_what_was_edited(
    qtbot: Any, open_form: Any
) -> None:
    original = parse_intake(example("recovery"))
    dialog = open_form(intake=original)
    assert find(dialog, "full_name").text() == "Tom Becker"
    assert find(dialog, "phone").text() == "+49 30 1234 5678"
    assert find(dialog, "age").value() == 47
    assert find(dialog, "height_cm").value() == original.height_cm
    assert find(dialog, "equipment_machines").isChecked()
    assert find(dialog, "medical_conditions").toPlainText() == (
        "high blood pressure, controlled with medication"
    )
    assert find(dialog, "struggles_motivation").isChecked()
    assert find(dialog, "recovery_condition").text() == "ankle sprain"
    assert find(dialog, "recovery_medical_clearance").isChecked()
    assert find(dialog, "recovery_aggravating_movements").toPlainText() == (
        "stairs\nrunning"
    )
    pain = find(dialog, "recovery_pain_now")
    assert pain.value() == 3

    retype(qtbot, pain, "8")
    settle(qtbot, dialog)
    qtbot.mouseClick(find(dialog, "save"), Qt.MouseButton.LeftButton)

    saved = dialog.intake()
    assert saved is not None and saved.recovery is not None
    assert saved.recovery.pain_now == 8
    assert original.recovery is not None
    details = original.recovery.model_copy(update={"pain_now": 8})
    assert saved == original.model_copy(update={"recovery": details})


def test_clearing_an_optional_number_leaves_it_out(qtbot: Any, open_form: Any) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    body_fat = find(dialog, "body_fat_percent")

    retype(qtbot, body_fat, "")
    settle(qtbot, dialog)
    qtbot.mouseClick(find(dialog, "save"), Qt.MouseButton.LeftButton)

    saved = dialog.intake()
    assert saved is not None and saved.body_fat_percent is None


def packets(dialog: QDialog) -> dict[PacketType, QCheckBox]:
    return {t: find(dialog, f"packet_{t.value}") for t in PacketType}


def checked(dialog: QDialog) -> set[PacketType]:
    return {t for t, box in packets(dialog).items() if box.isChecked()}


def test_an_athlete_gets_performance_and_nutrition_suggested(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    assert checked(dialog) == {PacketType.NUTRITION, PacketType.WORKOUT}

    choose(qtbot, find(dialog, "client_type"), "Athlete")
    qtbot.keyClicks(find(dialog, "sport"), "Basketball")
    choose(qtbot, find(dialog, "season_phase"), "In season")
    settle(qtbot, dialog)

    assert find(dialog, "save").isEnabled()
    assert checked(dialog) == {PacketType.PERFORMANCE, PacketType.NUTRITION}
    assert dialog.selected_packet_types() == [
        PacketType.NUTRITION,
        PacketType.PERFORMANCE,
    ]


def test_a_youth_of_eight_gets_only_the_youth_packet(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("general")))

    choose(qtbot, find(dialog, "client_type"), "Youth")
    retype(qtbot, find(dialog, "date_of_birth"), "2017-01-15")
    settle(qtbot, dialog)

    assert checked(dialog) == {PacketType.YOUTH}
    nutrition = packets(dialog)[PacketType.NUTRITION]
    assert not nutrition.isEnabled()
    assert "Nutrition packets are for ages 10 and over" in nutrition.toolTip()
    assert "this client is 8" in find(dialog, "packet_note").text()
    assert dialog.selected_packet_types() == [PacketType.YOUTH]


def test_packets_chosen_by_hand_are_not_replaced_by_suggestions(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    nutrition = packets(dialog)[PacketType.NUTRITION]
    qtbot.mouseClick(nutrition, Qt.MouseButton.LeftButton)
    assert checked(dialog) == {PacketType.WORKOUT}

    choose(qtbot, find(dialog, "client_type"), "Recovery")
    qtbot.keyClicks(find(dialog, "recovery_condition"), "ankle sprain")
    choose(qtbot, find(dialog, "recovery_area"), "Ankle")
    qtbot.keyClicks(find(dialog, "recovery_weeks_since_onset"), "3")
    qtbot.keyClicks(find(dialog, "recovery_pain_now"), "2")
    settle(qtbot, dialog)

    assert find(dialog, "save").isEnabled()
    assert checked(dialog) == {PacketType.WORKOUT}


def test_injury_rows_can_be_added_filled_and_removed(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("youth")))
    add = find(dialog, "injuries_add")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    choose(qtbot, find(dialog, "injuries_1_area"), "Shoulder")
    qtbot.keyClicks(find(dialog, "injuries_1_notes"), "Sore after swimming")
    settle(qtbot, dialog)

    assert find(dialog, "error_injuries_0").text() == "Injury area is required"
    assert find(dialog, "injuries_0_area").property("invalid") is True
    assert find(dialog, "injuries_0_notes").property("invalid") is False
    assert find(dialog, "error_injuries_1").text() == ""
    assert not find(dialog, "save").isEnabled()

    remove_first = find(dialog, "injuries_0_remove")
    qtbot.mouseClick(remove_first, Qt.MouseButton.LeftButton)
    settle(qtbot, dialog)

    assert find(dialog, "injuries_0_area").currentText() == "Shoulder"
    assert dialog.findChild(QWidget, "injuries_1_area") is None
    qtbot.mouseClick(find(dialog, "save"), Qt.MouseButton.LeftButton)
    saved = dialog.intake()
    assert saved is not None
    assert [(i.area, i.notes) for i in saved.injuries] == [
        (BodyArea.SHOULDER, "Sore after swimming")
    ]


def test_enter_on_an_invalid_form_shows_every_problem_and_focuses_the_first(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form()
    name = find(dialog, "full_name")
    qtbot.keyClicks(name, "Maria Lopez")
    settle(qtbot, dialog)
    assert not find(dialog, "error_sex").isVisible(), "untouched: not yet shown"

    qtbot.keyClick(name, Qt.Key.Key_Return)

    assert dialog.isVisible() and dialog.intake() is None
    assert find(dialog, "error_sex").text() == "Sex is required"
    assert find(dialog, "error_height_cm").text() == "Height is required"
    assert find(dialog, "sex").hasFocus()


def test_escape_cancels(qtbot: Any, open_form: Any) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(find(dialog, "full_name"), Qt.Key.Key_Escape)
    assert dialog.intake() is None


def test_tab_moves_down_the_form(qtbot: Any, open_form: Any) -> None:
    dialog = open_form()
    names = ["full_name", "email", "phone", "sex", "date_of_birth", "age"]
    find(dialog, names[0]).setFocus()
    for expected in names[1:]:
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        focused = dialog.focusWidget()
        while focused.objectName() == "" and focused.parentWidget() is not None:
            focused = focused.parentWidget()  # a spin box's inner line edit
        assert focused.objectName() == expected


def test_every_label_has_a_buddy_reached_with_its_mnemonic(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    captions = [
        c for c in dialog.findChildren(QLabel) if "&" in c.text() and c.isVisible()
    ]
    assert len(captions) > 20
    assert all(c.buddy() is not None for c in captions)

    weight = find(dialog, "weight_kg")
    caption = next(c for c in captions if c.buddy() is weight)
    letter = caption.text()[caption.text().index("&") + 1]
    qtbot.keyClick(dialog.focusWidget(), letter, Qt.KeyboardModifier.AltModifier)
    assert weight.hasFocus()


def test_every_input_has_an_accessible_name(qtbot: Any, open_form: Any) -> None:
    dialog = open_form(intake=parse_intake(example("general")))
    kinds = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox, QCheckBox)
    inputs = [
        w
        for w in dialog.findChildren(QWidget)
        if isinstance(w, kinds)
        and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)
    ]
    unnamed = [w.objectName() for w in inputs if not w.accessibleName()]
    assert inputs and unnamed == []
    assert isinstance(find(dialog, "save"), QPushButton)


def test_an_athlete_without_a_sport_is_not_saved_by_enter(
    qtbot: Any, open_form: Any
) -> None:
    dialog = open_form(intake=parse_intake(example("athlete")))
    sport = find(dialog, "sport")
    retype(qtbot, sport, "")
    settle(qtbot, dialog)
    assert find(dialog, "error_sport").text() == "Sport is required for an athlete"

    qtbot.keyClick(find(dialog, "position"), Qt.Key.Key_Return)

    assert dialog.isVisible() and dialog.intake() is None
    assert sport.hasFocus()
