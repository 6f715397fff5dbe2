"""What the report shows, in order: the one home of its sections, so the page and the PDF agree.

`report_sections(analysis)` turns a StudyAnalysis (the analysis result, docs/analysis.md, plus the
automated test and the plot files) into Sections of sentences, tables of formatted cells, plot
names and gallery items. The page's template and the PDF (studies/report_pdf.py) only lay them
out. Verdicts are read from the result, never re-derived: "could not tell" appears only where
TOST showed equivalence (studies/analysis/comparisons.py).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from studies.models import PoolImage, StudyAnalysis

DASH = "—"
GALLERY_SIZE = 8  # of the report's top 20 each: enough to see a pattern on one page


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class GalleryItem:
    image_token: str  # the image store's token: the researcher's thumbnail URL (imaging:thumb)
    thumb_name: str  # the thumbnail's storage name, for the PDF
    lines: list[str]  # source, finding, fooling rate
    words: str  # the readers' own words


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    plots: list[str] = field(default_factory=list)
    galleries: list[tuple[str, list[GalleryItem]]] = field(default_factory=list)


# ---------------------------------------------------------------- formatting

def num(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return DASH
    return f"{value:.{digits}f}"


def ci(low, high, digits: int = 3) -> str:
    if low is None or high is None:
        return DASH
    return f"{num(low, digits)}–{num(high, digits)}"


def pval(value) -> str:
    if value is None:
        return DASH
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def proportion(p: dict | None) -> str:
    """'0.683 (41/60; 0.558–0.787)': estimate, counts and Wilson interval."""
    if not p:
        return DASH
    return f"{num(p['estimate'])} ({p['successes']}/{p['trials']}; {ci(*p['wilson'])})"


def mean_ci(m: dict | None) -> str:
    if not m or m.get("mean") is None:
        return DASH
    return f"{num(m['mean'])} ({ci(m.get('low'), m.get('high'))})"


# ---------------------------------------------------------------- verdicts

def verdict_sentence(entry: dict, margin: float | None) -> str:
    """One source's answer to "could readers tell it from real images?", from its stored verdict."""
    source, verdict = entry["source"], entry.get("verdict", "inconclusive")
    if entry.get("error"):
        return f"{source}: not analysed ({entry['error']})"
    auc = f"reader-averaged AUC {num(entry.get('auc'))} (95% CI {ci(entry.get('low'), entry.get('high'))})"
    if verdict.startswith("equivalent"):
        tost = entry["equivalence"]
        return (f"{source}: indistinguishable within ±{margin:g} — readers could not tell these images from real "
                f"ones: TOST shows the AUC inside {num(tost['low'])}–{num(tost['high'])} "
                f"({auc}; Holm-adjusted p = {pval(tost.get('p_holm'))}).")
    if verdict == "distinguishable":
        return (f"{source}: distinguishable — readers told these images from real ones ({auc}; "
                f"Holm-adjusted p = {pval(entry.get('p_holm'))} against 0.5).")
    why = ("no equivalence margin was registered, so equivalence cannot be shown" if margin is None else
           f"neither a difference from 0.5 nor equivalence within ±{margin:g} is shown")
    return f"{source}: inconclusive — {why} ({auc}). This is not evidence that the images are indistinguishable."


# ---------------------------------------------------------------- sections

def report_sections(analysis: StudyAnalysis) -> list[Section]:
    r = analysis.result
    margin = r["study"].get("equivalence_margin")
    sections = [_counts(r), _primary(r, margin)]
    sections += [_calls(r), _groups(r)] if r["calls"].get("applicable") else [_two_afc(r)]
    sections += [_roc(r, analysis), _mrmc(r, margin), _agreement(r), _gallery(r, analysis),
                 _learning(r, analysis), _automated(r, analysis)]
    return sections


def banner(analysis: StudyAnalysis) -> list[str]:
    """Warnings to show above everything: simulated readers first."""
    return list(analysis.result["study"].get("warnings", []))


def _counts(r: dict) -> Section:
    c, s = r["counts"], r["study"]
    rows = [["Readers", f"{c['readers']}" + (f" ({c['simulated_readers']} simulated)" if c["simulated_readers"] else "")],
            ["Images", f"{c['images']['real']} real, {c['images']['synthetic']} synthetic"],
            ["Main reads", f"{c['reads']} ({c['rated_reads']} rated, {c['timed_out_reads']} timed out)"],
            ["Other reads", f"{c['repeat_reads']} repeats, {c['catch_reads']} catch trials, "
                            f"{c['excluded_calibration_reads']} calibration (not analysed)"]]
    by_source = Table(["Source", "Real", "Synthetic"],
                      [[label, str(v["real"]), str(v["synthetic"])] for label, v in c["images"]["by_source"].items()])
    design = "single image, real or synthetic?" if s["design"] == "single" else "2-AFC, which of two is real?"
    return Section("counts", "Counts", [f"Design: {design} Confidence scale of {s['confidence_levels']} levels; "
                                        f"every interval at {s['confidence']:.0%}, covariance by {s['covariance']}."],
                   [Table(["", ""], rows), by_source])


def _primary(r: dict, margin) -> Section:
    p = r["primary"]
    endpoint = {"auc_equivalence": "ROC AUC equivalent to 0.5", "accuracy": "accuracy against chance"}.get(
        p["endpoint"], "none registered")
    paragraphs = [f"Pre-registered primary endpoint: {endpoint}"
                  + (f", margin ±{margin:g}." if margin is not None and p["endpoint"] == "auc_equivalence" else ".")]
    mrmc = r["mrmc"] if r["study"]["design"] == "single" else r["two_afc"].get("mrmc", {})
    if mrmc.get("applicable"):
        paragraphs.append("Indistinguishable? Only a TOST equivalence test can say yes; a test that fails to find "
                          "a difference cannot.")
        paragraphs += [verdict_sentence(entry, margin) for entry in mrmc["sources"]]
    else:
        paragraphs.append(f"No MRMC verdict: {mrmc.get('reason') or 'not applicable'}.")
    if p["endpoint"] == "accuracy" and p.get("result"):
        res = p["result"]
        paragraphs.append(f"Reader-averaged accuracy {mean_ci(res)}." if "mean" in res else
                          f"Proportion correct {num(res.get('proportion_correct', {}).get('estimate'))}.")
    return Section("primary", "Primary endpoint and verdict", paragraphs)


def _calls(r: dict) -> Section:
    calls = r["calls"]
    rows = [[e["reader"], str(e["reads"]), proportion(e["accuracy"]), proportion(e["sensitivity"]),
             proportion(e["specificity"]), num(e["d_prime"], 2), num(e["criterion"], 2), pval(e["binomial_p"])]
            for e in calls["readers"]]
    per_reader = Table(["Reader", "Reads", "Accuracy", "Sensitivity", "Specificity", "d′", "c", "p (vs 0.5)"], rows,
                       "Per reader: estimate (successes/trials; 95% Wilson interval). Sensitivity: synthetic called "
                       "synthetic; specificity: real called real.")
    avg = calls["reader_averaged"]
    averaged = Table(["Reader-averaged", "Mean (95% t interval over readers)"],
                     [[name, mean_ci(avg.get(key))] for name, key in (
                         ("Accuracy", "accuracy"), ("Sensitivity", "sensitivity"), ("Specificity", "specificity"),
                         ("d′ (discrimination)", "d_prime"), ("c (bias; > 0 leans 'real')", "criterion"))])
    return Section("calls", "Calls: accuracy, sensitivity, specificity, d′ and c", tables=[per_reader, averaged])


def _groups(r: dict) -> Section:
    tables = []
    for key, title in (("by_source", "Per source (its synthetic images with all the real ones)"),
                       ("by_finding", "Per finding"), ("by_training_level", "Per reader training level")):
        rows = [[g["label"], str(g["reads"]), mean_ci(g["reader_averaged"].get("accuracy")),
                 mean_ci(g["reader_averaged"].get("sensitivity")), mean_ci(g["reader_averaged"].get("specificity")),
                 proportion(g["pooled"]["accuracy"])] for g in r["calls"].get(key, [])]
        tables.append(Table([title.split(" (")[0].replace("Per ", "").capitalize(), "Reads", "Accuracy (readers)",
                             "Sensitivity", "Specificity", "Pooled accuracy"], rows, title))
    return Section("groups", "By source, finding and training level", [
        "Reader-averaged figures with 95% t intervals; the pooled accuracy treats reads as independent "
        "(descriptive only)."], tables)


def _two_afc(r: dict) -> Section:
    t = r["two_afc"]
    if not t.get("applicable"):
        return Section("calls", "Calls", [r["calls"].get("reason", "")])
    rows = [[e["reader"], f"{e['correct']}/{e['trials']}", num(e["proportion_correct"]), ci(*e["wilson"]),
             pval(e["binomial_p"])] for e in t["readers"]]
    return Section("calls", "2-AFC: proportion correct", [
        "The proportion of trials where the reader picked the real image estimates the AUC (area theorem)."],
        [Table(["Reader", "Correct", "Proportion", "95% Wilson", "p (vs 0.5)"], rows)])


def _roc(r: dict, analysis: StudyAnalysis) -> Section:
    readers = (r.get("roc") or {}).get("readers", [])
    sources = sorted({s for e in readers for s in (e.get("by_source") or {})})
    rows = []
    for e in readers:
        overall = e.get("overall")
        row = [e["reader"], f"{num(overall['auc'])} ({ci(overall['low'], overall['high'])})" if overall else DASH]
        for s in sources:
            one = (e.get("by_source") or {}).get(s)
            row.append(f"{num(one['auc'])} ({ci(one['low'], one['high'])})" if one else DASH)
        rows.append(row)
    table = Table(["Reader", "AUC, all images"] + [f"AUC, {s}" for s in sources], rows,
                  "Empirical (Wilcoxon) AUC per reader with DeLong's 95% interval; 0.5 = cannot tell.")
    return Section("roc", "ROC", tables=[table], plots=[p for p in ("roc",) if p in analysis.plots])


def _mrmc(r: dict, margin) -> Section:
    mrmc = r["mrmc"] if r["study"]["design"] == "single" else r["two_afc"].get("mrmc", {})
    if not mrmc.get("applicable"):
        return Section("mrmc", "MRMC (Obuchowski–Rockette, Hillis df)", [f"Not applicable: {mrmc.get('reason')}."])
    rows = []
    for e in mrmc["sources"]:
        if e.get("error"):
            rows.append([e["source"], e["error"]] + [DASH] * 6)
            continue
        tost = e.get("equivalence")
        rows.append([e["source"], num(e["auc"]), ci(e["low"], e["high"]), num(e["df"], 1), pval(e["p_value"]),
                     pval(e.get("p_holm")), f"{ci(*tost['interval'])}; p Holm {pval(tost.get('p_holm'))}" if tost
                     else DASH, e["verdict"]])
    fom = mrmc.get("figure_of_merit", "AUC")
    sources = Table(["Source", fom, "95% CI", "df", "p (vs 0.5)", "p Holm", "TOST 90% interval", "Verdict"], rows,
                    f"Each source against 0.5 (random readers and images); TOST against ±{margin:g}."
                    if margin is not None else "Each source against 0.5; no equivalence margin registered.")
    pairs = []
    for c in mrmc.get("comparisons", []):
        if c.get("error"):
            pairs.append([f"{c['first']} − {c['second']}", c["error"]] + [DASH] * 5)
            continue
        pairs.append([f"{c['first']} − {c['second']}", num(c["difference"]), ci(c["low"], c["high"]), num(c["f"], 3),
                      num(c["ddf"], 2), pval(c["p_value"]), pval(c.get("p_holm")), c["design"]])
    tables = [sources]
    if pairs:
        tables.append(Table(["Between generators", "Difference", "95% CI", "F", "ddf", "p", "p Holm", "Design"], pairs,
                            "OR–Hillis F test of the difference in reader-averaged figure of merit."))
    return Section("mrmc", "MRMC (Obuchowski–Rockette, Hillis df)", [
        f"Holm adjusted {mrmc.get('holm_family', 0)} p-values together; verdicts use the adjusted ones."
        + (f" {mrmc['dropped_images']} image(s) left out (a timed-out read)." if mrmc.get("dropped_images") else "")],
        tables)


def _kappa(k: dict | None) -> str:
    return f"{num(k['kappa'])} ({ci(k['low'], k['high'])})" if k else DASH


def _agreement(r: dict) -> Section:
    a = r["agreement"]
    paragraphs, tables = [], []
    if "fleiss" in a:
        f = a["fleiss"]
        paragraphs.append(f"Fleiss' κ {_kappa(f)} over {f['images']} images, {f['raters_per_image']} readers each."
                          if f else "Fleiss' κ: too few images read by two or more readers.")
        tables.append(Table(["Readers", "Cohen's κ (95% CI)", "Observed agreement", "Images"],
                            [[" & ".join(c["readers"]), _kappa(c), num(c["observed_agreement"]), str(c["images"])]
                             for c in a.get("cohen", [])], "Between pairs of readers."))
    for label, sub in (a.get("by_condition") or {}).items():
        paragraphs.append(f"{label}: Fleiss' κ {_kappa(sub.get('fleiss'))}.")
    intra = a.get("intra_reader", [])
    tables.append(Table(["Reader", "Repeat pairs", "Same call", "Intra-reader κ (95% CI)"],
                        [[e["reader"], str(e["pairs"]), str(e["same_call"]), _kappa(e)] for e in intra],
                        "Each repeat against its first showing." if intra else "No repeat trials in this study."))
    catch = a["catch"]
    tables.append(Table(["Reader", "Catch trials", "Failed", "Missed", "Flagged"],
                        [[e["reader"], str(e["trials"]), str(e["failed"]), str(e["missed"]),
                          "FLAGGED" if e["flagged"] else "no"] for e in catch["readers"]],
                        "A flagged reader failed an attention check; flagged, never excluded."
                        if catch["trials"] else "No catch trials in this study."))
    return Section("agreement", "Agreement and attention", paragraphs, tables)


def _gallery(r: dict, analysis: StudyAnalysis) -> Section:
    images = r.get("images") or {}
    if not images.get("applicable", True) or "best_fakes" not in images:
        return Section("gallery", "Best fakes and clearest tells", [images.get("reason", "No calls to rank.")])
    wanted = [e["image"] for key in ("best_fakes", "clearest_tells") for e in images[key][:GALLERY_SIZE]]
    found = {p["reader_token"]: p for p in PoolImage.objects.filter(
        study=analysis.study, reader_token__in=wanted).values("reader_token", "image__token", "image__thumb")}

    def items(key: str) -> list[GalleryItem]:
        out = []
        for e in images[key][:GALLERY_SIZE]:
            pool = found.get(e["image"])
            if pool is None:
                continue
            tells = e.get("tells") or {}
            out.append(GalleryItem(pool["image__token"], pool["image__thumb"], [
                f"{e['source']}{' · ' + e['finding'] if e['finding'] else ''}",
                f"fooled {e['fooled']} of {e['reads']}; shrunk {num(e['shrunk_rate'], 2)} "
                f"({ci(e['low'], e['high'], 2)})"], "; ".join(f"“{t}”" for t in tells.get("texts", [])[:3])))
        return out

    return Section("gallery", "Best fakes and clearest tells", [
        "Synthetic images ranked by their shrunk fooling rate (empirical Bayes): the best fakes fooled most "
        "readers, the clearest tells fewest. The readers' own words and, below, where they clicked."],
        plots=[p for p in ("tells",) if p in analysis.plots],
        galleries=[("Best fakes", items("best_fakes")), ("Clearest tells", items("clearest_tells"))])


def _learning(r: dict, analysis: StudyAnalysis) -> Section:
    learning = r.get("learning") or {}
    trend = learning.get("trend") or {}
    times = learning.get("reading_time") or {}
    rows = [[f"{family.replace('by_', 'by ')}: {label}", str(q["reads"]), num(q["median_ms"] / 1000, 1),
             ci(q["q1_ms"] / 1000, q["q3_ms"] / 1000, 1)]
            for family in ("by_truth", "by_correctness") for label, q in (times.get(family) or {}).items()
            if q and q.get("reads")]
    paragraphs = [f"Trend in accuracy: {num(trend.get('slope_per_100_trials'))} per 100 trials "
                  f"(p = {pval(trend.get('p_value'))}; descriptive)."]
    if times.get("from_client_clock"):
        paragraphs.append(f"{times['from_client_clock']} reading time(s) from the browser's clock (no server time).")
    return Section("learning", "Learning curve and reading times", paragraphs,
                   [Table(["Reads", "n", "Median (s)", "Interquartile range (s)"], rows)],
                   plots=[p for p in ("learning", "reading_times") if p in analysis.plots])


def _automated(r: dict, analysis: StudyAnalysis) -> Section:
    auto = analysis.automated or {}
    human = {e["source"]: e for e in (r.get("mrmc") or {}).get("sources", []) if not e.get("error")}
    if not auto.get("overall"):
        return Section("automated", "The machine beside the humans", [
            auto.get("reason", "The automated Turing test was not run.")])
    rows = []
    machine = {"all synthetic images": auto["overall"], **(auto.get("by_source") or {})}
    for label, m in machine.items():
        h = human.get(label) or (next(iter(human.values())) if len(human) == 1 else None)
        rows.append([label, f"{num(m['auc'])} ({ci(m['low'], m['high'])})" if m else DASH,
                     f"{num(h['auc'])} ({ci(h['low'], h['high'])})" if h else DASH,
                     f"{m['n_real']} / {m['n_synthetic']}" if m else DASH])
    return Section("automated", "The machine beside the humans", [
        f"Automated Turing test computed by the analysis job on the same main images the readers saw: "
        f"{auto['method']}. Computed here, not taken from the model's own evaluation, which uses other images."],
        [Table(["Synthetic images", "Machine AUC (95% CI)", "Readers' AUC (MRMC, 95% CI)", "Real / synthetic"], rows)])
