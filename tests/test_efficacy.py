"""Tests of ilc_widgets.efficacy: the default items, loading item sets, scoring and change."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from ilc_widgets.efficacy import (
    AGREEMENT_SCALE,
    DEFAULT_ITEM_SET,
    DIMENSIONS,
    PULSE_DISCLAIMER,
    WAVES,
    Item,
    ItemSet,
    PulseDataError,
    load_item_set,
    pulse_change,
    responses_template,
    scale_text,
    score_responses,
)
from ilc_widgets.errors import ImportValidationError

if TYPE_CHECKING:
    from pathlib import Path

# ============================================================================ defaults


def test_default_item_set() -> None:
    assert list(DIMENSIONS) == ["shared_understanding", "joint_work", "evidence_of_impact"]
    groups = DEFAULT_ITEM_SET.by_dimension()
    assert list(groups) == list(DIMENSIONS)
    assert all(len(items) == 3 for items in groups.values())
    assert all(
        item.text.startswith("We ") or item.text.startswith("Each of us")
        for item in DEFAULT_ITEM_SET.items
    )
    assert len(set(DEFAULT_ITEM_SET.item_ids)) == 9
    assert (
        DEFAULT_ITEM_SET.item("su1").text
        == "We agree on the problem of practice we are working on."
    )
    assert AGREEMENT_SCALE[1] == "Strongly disagree" and AGREEMENT_SCALE[5] == "Strongly agree"
    assert list(WAVES) == ["start", "review"]
    assert "reflective pulse, not a validated scale" in PULSE_DISCLAIMER
    assert scale_text().startswith("1 = Strongly disagree")
    assert list(DEFAULT_ITEM_SET.to_frame().columns) == ["item_id", "dimension", "text", "reverse"]


def test_item_set_validates_itself() -> None:
    with pytest.raises(ValueError, match="repeated"):
        ItemSet("x", (Item("a", "joint_work", "t"), Item("a", "joint_work", "u")))
    with pytest.raises(ValueError, match="not one of"):
        ItemSet("x", (Item("a", "trust", "t"),))
    with pytest.raises(ValueError, match="no items"):
        ItemSet("x", ())


# ============================================================================ loading


def _write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_load_csv_with_labels_reverse_and_custom_dimension(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "my_items.csv",
        "Item ID;Dimension;Text;Reverse\n"
        "a1;Shared Understanding;We agree on our focus.;\n"
        "a2;joint-work;We work alone most of the time.;yes\n"
        "a3;Relational trust;We trust one another.;no\n"
        "a4;evidence_of_impact;We see results.;0\n",
    )
    items = load_item_set(path)
    assert items.name == "my_items"
    assert [i.dimension for i in items.items] == [
        "shared_understanding",
        "joint_work",
        "relational_trust",
        "evidence_of_impact",
    ]
    assert [i.reverse for i in items.items] == [False, True, False, False]
    # default dimensions first, in their usual order, then the custom one with its label
    assert items.dimensions == {
        "shared_understanding": "Shared understanding",
        "joint_work": "Joint work",
        "evidence_of_impact": "Evidence of impact",
        "relational_trust": "Relational trust",
    }


def test_load_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "items.xlsx"
    DEFAULT_ITEM_SET.to_frame().to_excel(path, index=False)
    items = load_item_set(path, name="from excel")
    assert items.name == "from excel"
    assert items.item_ids == DEFAULT_ITEM_SET.item_ids
    assert [i.reverse for i in items.items] == [False] * 9


def test_load_json_both_forms(tmp_path: Path) -> None:
    listed = tmp_path / "list.json"
    listed.write_text(
        json.dumps(
            [
                {"item_id": "q1", "dimension": "joint_work", "text": "We plan together."},
                {
                    "item_id": "q2",
                    "dimension": "belonging",
                    "text": "We feel alone.",
                    "reverse": True,
                },
            ]
        ),
        encoding="utf-8",
    )
    a = load_item_set(listed)
    assert a.item("q2").reverse and a.dimensions["belonging"] == "Belonging"
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(
        json.dumps(
            {
                "name": "Study 2",
                "dimensions": {"belonging": "Sense of belonging"},
                "items": [{"item_id": "q1", "dimension": "belonging", "text": "We belong."}],
            }
        ),
        encoding="utf-8",
    )
    b = load_item_set(wrapped)
    assert b.name == "Study 2" and b.dimensions == {"belonging": "Sense of belonging"}


def test_load_errors_name_file_row_and_column(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "bad.csv",
        "Item ID,Dimension,Text,Reverse\n"
        "su1,Shared Understanding,We agree,\n"
        "su1,joint_wrk,,maybe\n"
        ",evidence_of_impact,We see it,\n" + ("x" * 41) + ",joint_work,Long id,\n",
    )
    with pytest.raises(ImportValidationError) as info:
        load_item_set(path)
    message = str(info.value)
    assert "nothing was imported" in message
    assert (
        "bad.csv, row 3, column 'Item ID': the item id 'su1' is repeated (first used in row 2)"
        in message
    )
    assert "bad.csv, row 3, column 'Text': the item text is blank" in message
    assert (
        "row 3, column 'Dimension': 'joint_wrk' looks like a misspelling of the dimension "
        "'joint_work'" in message
    )
    assert "row 3, column 'Reverse': 'maybe' is not yes or no" in message
    assert "row 4, column 'Item ID': the item id is blank" in message
    assert "row 5, column 'Item ID': the item id is 41 characters long" in message
    assert len(info.value.problems) == 6


def test_load_missing_column_and_bad_json(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "nocol.csv", "item_id,text\na,We do.\n")
    with pytest.raises(
        ImportValidationError, match=r"nocol.csv, row 1, column 'dimension': this column is missing"
    ):
        load_item_set(path)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ImportValidationError, match=r"broken\.json: this is not valid JSON"):
        load_item_set(broken)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"items": ["a", {"item_id": "b"}]}), encoding="utf-8")
    with pytest.raises(
        ImportValidationError, match=r"wrong\.json, row 1: each item must be an object"
    ):
        load_item_set(wrong)
    empty = tmp_path / "empty.json"
    empty.write_text("[]", encoding="utf-8")
    with pytest.raises(ImportValidationError, match="no items"):
        load_item_set(empty)


# ============================================================================ scoring


def _responses(answers: dict[tuple[str, str], int | list[int | None]]) -> pd.DataFrame:
    """Rows for (respondent, wave) -> one score for every default item, or one per item."""
    rows = []
    for (who, wave), score in answers.items():
        scores = score if isinstance(score, list) else [score] * 9
        for item, s in zip(DEFAULT_ITEM_SET.items, scores, strict=True):
            rows.append({"respondent": who, "wave": wave, "item_id": item.item_id, "score": s})
    return pd.DataFrame(rows)


def test_score_responses_worked_example() -> None:
    # start: ana answers 2 everywhere, ben 3, cy 3; review: ana 4, ben 4, cy 5.
    # start mean (2 + 3 + 3) / 3 = 2.6667; deviations -2/3, 1/3, 1/3 -> SS 6/9 -> var 1/3
    #   -> SD 0.57735; review mean 13/3 = 4.3333, SD 0.57735
    responses = _responses(
        {
            ("ana", "start"): 2,
            ("ben", "start"): 3,
            ("cy", "start"): 3,
            ("ana", "review"): 4,
            ("ben", "Review"): 4,
            ("cy", "post"): 5,
        }
    )
    scored = score_responses(responses)
    assert list(scored.columns) == [
        "wave",
        "wave_label",
        "dimension",
        "dimension_label",
        "mean",
        "sd",
        "n",
    ]
    assert scored["wave"].tolist() == ["start"] * 3 + ["review"] * 3
    assert scored["dimension"].tolist() == list(DIMENSIONS) * 2
    assert scored["mean"].tolist() == pytest.approx([8 / 3] * 3 + [13 / 3] * 3)
    assert scored["sd"].tolist() == pytest.approx([0.57735] * 6, abs=1e-5)
    assert scored["n"].tolist() == [3] * 6
    change = pulse_change(responses)
    assert change["change"].tolist() == pytest.approx([5 / 3] * 3)
    assert change["n_both"].tolist() == [3, 3, 3]
    assert change["paired_change"].tolist() == pytest.approx([5 / 3] * 3)


def test_reverse_scored_items_are_turned_around() -> None:
    items = ItemSet(
        "rev",
        (
            Item("p", "joint_work", "We plan together."),
            Item("q", "joint_work", "We mostly work alone.", reverse=True),
        ),
        dimensions={"joint_work": "Joint work"},
    )
    responses = pd.DataFrame(
        {
            "respondent": ["a", "a", "b", "b"],
            "wave": ["start"] * 4,
            "item_id": ["p", "q", "p", "q"],
            "score": [4, 2, 5, 1],
        }
    )
    # a: (4 + (6 - 2)) / 2 = 4; b: (5 + (6 - 1)) / 2 = 5; mean 4.5, SD sqrt(0.5) = 0.707107
    scored = score_responses(responses, items)
    assert scored["mean"].tolist() == pytest.approx([4.5])
    assert scored["sd"].tolist() == pytest.approx([0.707107], abs=1e-6)


def test_unanswered_items_are_skipped_and_people_averaged() -> None:
    responses = _responses(
        {
            ("ana", "start"): [5, 3, None, 2, 2, 2, 4, 4, 4],
            ("ben", "start"): [1, 1, 1, 2, 2, 2, 4, 4, 4],
        }
    )
    scored = score_responses(responses).set_index("dimension")
    # ana's shared understanding = (5 + 3) / 2 = 4; ben's = 1 -> mean 2.5
    assert scored.loc["shared_understanding", "mean"] == pytest.approx(2.5)
    assert scored.loc["joint_work", "sd"] == pytest.approx(0.0)


def test_pulse_change_with_people_who_came_and_went_and_by_collective() -> None:
    responses = _responses(
        {("ana", "start"): 2, ("ben", "start"): 4, ("ana", "review"): 3, ("dee", "review"): 5}
    )
    responses["collective"] = "north"
    extra = _responses({("zed", "start"): 1})
    extra["collective"] = "south"
    both = pd.concat([responses, extra], ignore_index=True)
    change = pulse_change(both, by=["collective"])
    north = change[change["collective"] == "north"].iloc[0]
    # start mean (2 + 4) / 2 = 3, review (3 + 5) / 2 = 4 -> change 1; only ana answered
    # both waves: her own change is 3 - 2 = 1
    assert north["mean_start"] == 3 and north["mean_review"] == 4 and north["change"] == 1
    assert north["n_start"] == 2 and north["n_review"] == 2
    assert north["n_both"] == 1 and north["paired_change"] == 1
    south = change[change["collective"] == "south"].iloc[0]
    assert south["n_review"] == 0 and np.isnan(south["change"]) and south["n_both"] == 0
    scored = score_responses(both, by=["collective"])
    assert set(scored["collective"]) == {"north", "south"}
    assert scored[scored["collective"] == "south"]["wave"].unique().tolist() == ["start"]


def test_response_validation_names_rows() -> None:
    responses = _responses({("ana", "start"): 3})
    responses["score"] = responses["score"].astype(float)
    responses.loc[1, "score"] = 6
    responses.loc[2, "score"] = 2.5
    responses.loc[3, "item_id"] = "zz9"
    responses.loc[4, "wave"] = "middle"
    responses.loc[5, "respondent"] = " "
    with pytest.raises(PulseDataError) as info:
        score_responses(responses)
    message = str(info.value)
    assert "rows 1, 2: the score must be a whole number from 1 to 5" in message
    assert "row 3: item id 'zz9' is not in the item set 'default'" in message
    assert "row 4: the wave must be 'start' or 'review' (found 'middle')" in message
    assert "row 5: the respondent is blank" in message
    assert isinstance(info.value, ValueError)


def test_duplicates_and_missing_columns() -> None:
    responses = _responses({("ana", "start"): 3})
    dup = pd.concat([responses, responses.iloc[[0]]], ignore_index=True)
    with pytest.raises(PulseDataError, match="row 9: a second answer by the same respondent"):
        score_responses(dup)
    with pytest.raises(PulseDataError, match="no column"):
        score_responses(responses.drop(columns="wave"))
    with pytest.raises(PulseDataError, match="not a number"):
        score_responses(responses.assign(score=["x"] + [3] * 8))


def test_empty_responses() -> None:
    empty = responses_template()
    assert score_responses(empty).empty
    change = pulse_change(empty)
    assert change["dimension"].tolist() == list(DIMENSIONS)
    assert change["n_start"].tolist() == [0, 0, 0]


def test_item_set_round_trips_through_plain_data(tmp_path: Path) -> None:
    from ilc_widgets.efficacy import item_set_from_dict, item_set_to_dict

    assert item_set_from_dict(item_set_to_dict(DEFAULT_ITEM_SET)) == DEFAULT_ITEM_SET
    file = tmp_path / "mine.csv"
    file.write_text("item_id,dimension,text,reverse\nq1,trust,We trust each other.,yes\n")
    mine = load_item_set(file)
    data = json.loads(json.dumps(item_set_to_dict(mine)))  # as the settings store it
    back = item_set_from_dict(data)
    assert back == mine and back.items[0].reverse and back.scale_labels[5] == "Strongly agree"
    with pytest.raises(ValueError, match="incomplete or malformed"):
        item_set_from_dict({"name": "x"})
    with pytest.raises(ValueError, match="has dimension 'trust', which is not one of nope"):
        item_set_from_dict({**data, "dimensions": {"nope": "Nope"}})
