"""Synthetic patient profiles coherent with the images, and the teaching answers for a case.

Public API:
    PatientProfile, history_text                       the profile and its clinical-note history
    sample_reference_cohort(n, seed)                   the documented default reference cohort
    read_patient_csv(path), write_patient_csv(...)      user cohorts as CSV
    PatientModelConfig, train_patient_model(...),       CTGAN (Xu et al., NeurIPS 2019)
    PatientModel.sample/save, load_patient_model(dir)
    draw_case(profile, rng) -> TeachingCase            finding | profile, Brock risk, Fleischner advice
    brock_malignancy_risk(...)                         McWilliams et al., NEJM 2013
    fleischner_recommendation(...)                     MacMahon et al., Radiology 2017
See docs/patients.md. The CTGAN names load torch and scikit-learn on first use, so that
profiles, Brock and Fleischner stay cheap to import in web processes.
"""
from __future__ import annotations

import importlib
from typing import Any

from gan_engine.patients.brock import brock_logit, brock_malignancy_risk
from gan_engine.patients.case import TeachingCase, draw_case, load_case_tables
from gan_engine.patients.fleischner import (
    FleischnerRecommendation,
    fleischner_high_risk,
    fleischner_not_applicable_reason,
    fleischner_recommendation,
)
from gan_engine.patients.history import history_text
from gan_engine.patients.profile import (
    COMORBIDITIES,
    PRESENTING_COMPLAINTS,
    SEXES,
    SMOKING_STATUSES,
    PatientProfile,
)
from gan_engine.patients.reference import (
    load_reference_definition,
    sample_reference_cohort,
    screening_eligible,
)
from gan_engine.patients.table import PatientCSVError, read_patient_csv, write_patient_csv

__all__ = [
    "COMORBIDITIES", "PRESENTING_COMPLAINTS", "SEXES", "SMOKING_STATUSES",
    "FleischnerRecommendation", "PatientCSVError", "PatientModel", "PatientModelConfig",
    "PatientProfile", "TeachingCase",
    "brock_logit", "brock_malignancy_risk", "draw_case", "fleischner_high_risk",
    "fleischner_not_applicable_reason", "fleischner_recommendation", "history_text",
    "load_case_tables", "load_patient_model", "load_reference_definition", "read_patient_csv",
    "sample_reference_cohort", "screening_eligible", "train_patient_model", "write_patient_csv",
]

# The tabular GAN pulls in torch and scikit-learn: resolve it on first access (PEP 562).
_LAZY = {name: "gan_engine.patients.patient_model" for name in
         ("PatientModel", "PatientModelConfig", "load_patient_model", "train_patient_model")}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'gan_engine.patients' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
