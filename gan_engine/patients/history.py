"""The clinical-note history sentence built from a profile (a fixed template, no randomness)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gan_engine.patients.profile import PatientProfile

# Conditions named in the first sentence ("... with COPD and hypertension").
_CONDITION_WORDS = {
    "copd": "COPD",
    "emphysema": "emphysema",
    "diabetes": "diabetes",
    "hypertension": "hypertension",
}

_COMPLAINT_SENTENCES = {
    "screening": "Referred for low-dose CT lung cancer screening.",
    "incidental": "Chest CT performed for an unrelated indication.",
    "cough": "Presents with a persistent cough.",
    "dyspnoea": "Presents with breathlessness on exertion.",
    "haemoptysis": "Presents with haemoptysis.",
    "chest_pain": "Presents with chest pain.",
    "weight_loss": "Presents with unintentional weight loss.",
}


def _number(value: float) -> str:
    """Whole numbers without a decimal point, others with one decimal (40, 12.5)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _years(value: float) -> str:
    if value < 1:
        return "less than a year"
    n = round(value)
    return "1 year" if n == 1 else f"{n} years"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def smoking_phrase(p: "PatientProfile") -> str:
    """The smoking clause: 'never smoker', 'current smoker (40 pack-years)' or
    'former smoker (30 pack-years, quit 5 years ago)'."""
    if p.smoking_status == "never":
        return "never smoker"
    packs = f"{_number(p.pack_years)} pack-year{'' if p.pack_years == 1 else 's'}"
    if p.smoking_status == "current":
        return f"current smoker ({packs})"
    return f"former smoker ({packs}, quit {_years(p.years_since_quit)} ago)"


def history_text(p: "PatientProfile") -> str:
    """A short clinical-note history, e.g.

    "62-year-old man, current smoker (40 pack-years) with COPD and hypertension.
    Family history of lung cancer. Presents with a persistent cough."

    Deterministic: the same profile always gives the same text.
    """
    person = "man" if p.sex == "male" else "woman"
    conditions = [word for name, word in _CONDITION_WORDS.items() if getattr(p, name)]
    first = f"{p.age_years}-year-old {person}, {smoking_phrase(p)}"
    if conditions:
        first += f" with {_join(conditions)}."
    else:
        first += ", no chronic lung or cardiometabolic disease."
    sentences = [first]
    if p.prior_cancer:
        sentences.append("Past history of cancer (non-lung primary).")
    if p.family_history_lung_cancer:
        sentences.append("Family history of lung cancer in a first-degree relative.")
    sentences.append(_COMPLAINT_SENTENCES[p.presenting_complaint])
    return " ".join(sentences)
