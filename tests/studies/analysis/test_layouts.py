"""The two CSV layouts: exact round trips, and one clear sentence naming the line for each kind of
malformed file. iMRMC layout as DIDSR/iMRMC documents and ships it (000_iMRMC/inputFiles/*.imrmc:
free-text header, `BEGIN DATA:`, truth rows with readerID -1, then readerID,caseID,modalityID,score)."""
from __future__ import annotations

import numpy as np
import pytest

from studies.analysis.csv_layouts import LayoutError, read_imrmc, read_radturing, write_imrmc, write_radturing
from studies.analysis.simulation import simulated_study
from studies.analysis.table import RatingsTable, TableError
from tests.studies.analysis.tables import everything_study

HEADER = "Free text about the study\nNR: 2\n\nBEGIN DATA:\n"


def test_a_table_round_trips_through_the_radturing_layout(tmp_path):
    table = everything_study()
    write_radturing(table, tmp_path / "t.csv")
    assert read_radturing(tmp_path / "t.csv") == table


def test_a_two_afc_table_round_trips_through_the_radturing_layout(tmp_path):
    table = RatingsTable.from_columns(
        {"reader": ["r1", "r1"], "position": [0, 1], "image": ["a", "r"], "image_truth": [1, 0],
         "source": ["GAN", "Real"], "second_image": ["r", "b"], "second_truth": [0, 1],
         "second_source": ["Real", "GAN"],
         "confidence": [6.0, 2.0], "answer": ["right", "left"], "trial_kind": ["main", "main"]},
        study_design="2afc", study_confidence_levels=6)
    write_radturing(table, tmp_path / "t.csv")
    assert read_radturing(tmp_path / "t.csv") == table


def test_a_generators_study_round_trips_through_the_imrmc_layout(tmp_path):
    """Only what iMRMC holds survives (main, rated reads); a table of just that comes back equal,
    the real images written once per generator and read back as one read."""
    table = simulated_study(3, readers=3, real=6, per_source=4, sources=("GAN-A", "GAN-B"), separation=(0.5, 1.0),
                            tell_share=0.0)
    write_imrmc(table, tmp_path / "s.imrmc")
    text = (tmp_path / "s.imrmc").read_text()
    assert "\nNR: 3\nN0: 6\nN1: 8\nNM: 2\n" in text and "\nBEGIN DATA:\n-1," in text
    first = read_imrmc(tmp_path / "s.imrmc")
    assert first.comparison == "generators" and len(first) == len(table)
    write_imrmc(first, tmp_path / "again.imrmc")
    assert read_imrmc(tmp_path / "again.imrmc") == first
    assert (tmp_path / "again.imrmc").read_text() == text
    assert sorted(zip(first.reader, first.image, first.confidence)) == sorted(zip(table.reader, table.image,
                                                                                  table.confidence))


def test_it_tells_paired_conditions_from_generators_sharing_the_real_images(tmp_path):
    paired = HEADER + "-1,c1,0,0\n-1,c2,0,1\n" + "".join(
        f"{r},{c},{m},{s}\n" for r in ("r1", "r2") for c, s in (("c1", 1), ("c2", 4)) for m in ("A", "B"))
    (tmp_path / "p.imrmc").write_text(paired)
    assert read_imrmc(tmp_path / "p.imrmc").comparison == "conditions"
    shared = HEADER + "-1,real,0,0\n-1,fa,0,1\n-1,fb,0,1\n" + "".join(
        f"{r},real,A,2\n{r},real,B,2\n{r},fa,A,5\n{r},fb,B,3\n" for r in ("r1", "r2"))
    (tmp_path / "g.imrmc").write_text(shared)
    table = read_imrmc(tmp_path / "g.imrmc")
    assert table.comparison == "generators" and len(table) == 6
    assert sorted(set(table.source.tolist())) == ["A", "B", "real"]


def test_it_reads_the_r_packages_truth_rows_and_padded_fields(tmp_path):
    """iMRMC's own test.imrmc pads fields with spaces; the iMRMC R package writes readerID 'truth'."""
    (tmp_path / "t.imrmc").write_text("x\nBEGIN DATA:\ntruth , c1 , truth , 0\n-1,c2,0,1\n"
                                      " reader 1 ,c1, m ,1.5\nreader 1,c2,m,2\nr2,c1,m,1\nr2,c2,m,3\n")
    table = read_imrmc(tmp_path / "t.imrmc")
    assert table.reader.tolist()[:2] == ["reader 1", "reader 1"] and table.confidence.tolist()[0] == 1.5


@pytest.mark.parametrize("body, message", [
    ("-1,c1,0,0\nr1,c1,m\n", "Line 5 has 3 fields; iMRMC rows are readerID,caseID,modalityID,score."),
    ("-1,c1,0,0\nr1,c1,m,high\n", "Line 5: the score 'high' is not a number."),
    ("-1,c1,0,0\nr1,c1,m,2\nr1,c2,m,3\n", "Line 6: case 'c2' has no truth row (readerID -1)."),
    ("-1,c1,0,0\n-1,c2,0,1\nr1,c1,m,2\n", "Line 5: case 'c2' has a truth row but no reader scored it."),
    ("-1,c1,0,2\nr1,c1,m,2\n", "Line 4: a truth row's score must be 0 or 1, not '2'."),
    ("-1,c1,0,0\nr1,c1,m,2\nr1,c1,m,3\n", "Line 6 repeats reader 'r1', case 'c1', modality 'm' (first on line 5)."),
    ("-1,c1,0,0\n-1,c1,0,1\nr1,c1,m,2\n", "Line 5 gives case 'c1' a truth that line 4 contradicts."),
])
def test_a_malformed_imrmc_file_gets_one_sentence_naming_the_line(tmp_path, body, message):
    (tmp_path / "bad.imrmc").write_text("Header\nmore header\nBEGIN DATA:\n" + body)
    with pytest.raises(LayoutError) as caught:
        read_imrmc(tmp_path / "bad.imrmc")
    assert str(caught.value) == message


def test_an_imrmc_file_without_begin_data_or_with_wrong_counts_is_refused(tmp_path):
    (tmp_path / "a.imrmc").write_text("Header\n-1,c1,0,0\n")
    with pytest.raises(LayoutError, match=r"^Line 3: the file has no 'BEGIN DATA:' line before its data\.$"):
        read_imrmc(tmp_path / "a.imrmc")
    (tmp_path / "b.imrmc").write_text("Header\nN0: 5\nBEGIN DATA:\n-1,c1,0,0\nr1,c1,m,1\n")
    with pytest.raises(LayoutError, match=r"^Line 2: N0 says 5 signal-absent \(real\) cases but the data has 1\.$"):
        read_imrmc(tmp_path / "b.imrmc")


def test_generators_whose_real_reads_differ_between_modalities_are_refused(tmp_path):
    (tmp_path / "g.imrmc").write_text("RadTuring comparison: generators\nBEGIN DATA:\n-1,r,0,0\n-1,f,0,1\n"
                                      "x,r,A,2\nx,r,B,3\nx,f,A,5\n")
    with pytest.raises(LayoutError, match=r"^Line 6: reader 'x' scores real case 'r' differently than on line 5"):
        read_imrmc(tmp_path / "g.imrmc")


def _radturing_lines(tmp_path) -> list[str]:
    write_radturing(everything_study(), tmp_path / "t.csv")
    return (tmp_path / "t.csv").read_text().splitlines(keepends=True)


def test_a_radturing_file_missing_columns_names_them(tmp_path):
    lines = _radturing_lines(tmp_path)
    lines[0] = lines[0].replace("image_truth,", "")
    (tmp_path / "m.csv").write_text("".join(lines))
    with pytest.raises(LayoutError, match=r"^Line 1: the header lacks the column image_truth\.$"):
        read_radturing(tmp_path / "m.csv")


def test_a_radturing_file_with_a_bad_number_names_the_line(tmp_path):
    write_radturing(everything_study(), tmp_path / "t.csv")
    import csv
    rows = list(csv.reader(open(tmp_path / "t.csv", newline="")))
    rows[3][rows[0].index("confidence")] = "sure"
    with open(tmp_path / "n.csv", "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(LayoutError, match=r"^Line 4: confidence must be a number, not 'sure'\.$"):
        read_radturing(tmp_path / "n.csv")


def test_the_table_refuses_inconsistent_columns():
    with pytest.raises(TableError, match="timed-out rating has no confidence"):
        RatingsTable.from_columns({"reader": ["r"], "image": ["i"], "image_truth": [0], "confidence": [3.0],
                                   "timed_out": [True], "answer": [""], "trial_kind": ["main"]})
    with pytest.raises(TableError, match="image_truth must be 0"):
        RatingsTable.from_columns({"reader": ["r"], "image": ["i"], "image_truth": [2], "confidence": [3.0],
                                   "answer": ["real"], "trial_kind": ["main"]})
    assert np.asarray(everything_study().confidence).flags.writeable is False


def test_an_imrmc_file_of_two_generators_gets_the_generators_comparison(tmp_path):
    """analyse_file detects generators sharing the real images and gives the same OR–Hillis
    comparison (and single-source tests) as the table it was written from."""
    from studies.analysis.analyse import analyse
    from studies.analysis.command import analyse_file

    table = simulated_study(4, readers=4, real=20, per_source=10, sources=("GAN-A", "GAN-B"), separation=(0.3, 1.2))
    write_imrmc(table, tmp_path / "g.imrmc")
    from_file, direct = analyse_file(tmp_path / "g.imrmc", "imrmc")["mrmc"], analyse(table)["mrmc"]
    assert from_file["comparisons"][0]["design"] == "shared real images"
    for key in ("difference", "f", "ddf", "p_value"):
        assert from_file["comparisons"][0][key] == pytest.approx(direct["comparisons"][0][key], rel=1e-12)
    assert [s["auc"] for s in from_file["sources"]] == pytest.approx([s["auc"] for s in direct["sources"]])
