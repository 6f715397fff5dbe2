"""De-identification of DICOM headers on ingest: DICOM PS3.15 Annex E, Basic Application Level
Confidentiality Profile (Table E.1-1), with the Retain Longitudinal Temporal Information With
Modified Dates Option (dates shifted, not removed).

Auditable by design: `ACTION_TABLE` below lists every attribute handled by name and action; the
catch-all rules after it cover what the table does not name. Applying it returns a record of
what was done per attribute (tag, keyword, action, count) — never the values.

Actions (PS3.15 E.1-1 codes):
  D  replace with a non-zero-length dummy (patient name and ID: a consistent pseudonym)
  Z  replace with a zero-length value
  X  remove
  K  keep
  C  clean: here, dates shifted by the patient's secret offset (Modified Dates Option)
  U  replace UID with a consistent new UID (same owner + same UID -> same new UID)
Where the profile gives a choice (X/Z, X/Z/D, ...), the table picks one; Type 1 attributes of
the images we keep get D or U so that the header stays valid.

Catch-all rules, in order: private tags X; curve (50xx) and overlay (60xx) groups X; any other
person name (PN) Z; any other UID (UI) that is not a UID registered in the standard U; any
other date (DA) or date-time (DT) C (shifted). Sequences not removed are walked recursively.
Pseudonyms, date shifts and new UIDs are HMAC-SHA-256 of the original under the owner's secret
(imaging.models.DeidSecret): consistent per owner, secret server-side, not reversible without it.
"""
from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from pydicom.datadict import keyword_for_tag, tag_for_keyword
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag
from pydicom.uid import UID

PROFILE_NAME = "PS3.15 E.1-1 Basic Application Level Confidentiality Profile"
OPTION_NAME = "Retain Longitudinal Temporal Information With Modified Dates Option"
METHOD_CODES = (
    ("113100", "DCM", "Basic Application Confidentiality Profile"),
    ("113107", "DCM", "Retain Longitudinal Temporal Information Modified Dates Option"),
)
METHOD_TEXT = "RadTuring: PS3.15 Basic Profile, Modified Dates Option"
MAX_SHIFT_DAYS = 3650  # dates move back by 365 .. 365 + MAX_SHIFT_DAYS - 1 days

# (action, keywords) by subject: attributes of PS3.15 Table E.1-1 that occur in image objects we ingest.
_ACTIONS_BY_SUBJECT: tuple[tuple[str, str], ...] = (
    # patient
    ("D", "PatientName PatientID"),
    ("Z", "PatientBirthDate PatientSex"),
    ("X", """
        IssuerOfPatientID PatientBirthTime PatientAge PatientSize PatientWeight PatientAddress
        PatientTelephoneNumbers PatientMotherBirthName PatientBirthName OtherPatientIDs OtherPatientIDsSequence
        OtherPatientNames PatientComments PatientState PatientReligiousPreference EthnicGroup Occupation
        MilitaryRank BranchOfService CountryOfResidence RegionOfResidence MedicalRecordLocator MedicalAlerts
        Allergies AdditionalPatientHistory PregnancyStatus LastMenstrualDate SmokingStatus SpecialNeeds
        PatientSexNeutered PatientInsurancePlanCodeSequence PatientPrimaryLanguageCodeSequence
        PatientPrimaryLanguageModifierCodeSequence PatientTransportArrangements PatientInstitutionResidence
        ReferencedPatientSequence ReferencedPatientAliasSequence ResponsiblePerson ResponsibleOrganization
        InsurancePlanIdentification PersonAddress PersonTelephoneNumbers
        ConfidentialityConstraintOnPatientDataDescription
    """),
    # visit, admission, orders
    ("Z", "AccessionNumber PlacerOrderNumberImagingServiceRequest FillerOrderNumberImagingServiceRequest"),
    ("X", """
        AdmissionID IssuerOfAdmissionID AdmittingDate AdmittingTime AdmittingDiagnosesDescription
        AdmittingDiagnosesCodeSequence DischargeDiagnosisDescription CurrentPatientLocation ServiceEpisodeID
        ServiceEpisodeDescription IssuerOfServiceEpisodeID VisitComments OrderEnteredBy OrderEntererLocation
        OrderCallbackPhoneNumber ReasonForTheImagingServiceRequest ImagingServiceRequestComments
        RequestingPhysician RequestingService RequestedProcedureDescription RequestedProcedureID
        RequestedProcedureComments RequestedProcedureLocation RequestedContrastAgent RequestAttributesSequence
        ReasonForStudy
    """),
    # physicians, operators, other people
    ("Z", "ReferringPhysicianName ContentCreatorName"),
    ("X", """
        ReferringPhysicianAddress ReferringPhysicianTelephoneNumbers ReferringPhysicianIdentificationSequence
        PhysiciansOfRecord PhysiciansOfRecordIdentificationSequence PerformingPhysicianName
        PerformingPhysicianIdentificationSequence NameOfPhysiciansReadingStudy
        PhysiciansReadingStudyIdentificationSequence OperatorsName OperatorIdentificationSequence
        ScheduledPerformingPhysicianName ScheduledPerformingPhysicianIdentificationSequence HumanPerformerName
        HumanPerformerOrganization ActualHumanPerformersSequence ScheduledHumanPerformersSequence
        ContentCreatorIdentificationCodeSequence ReviewerName VerifyingObserverName VerifyingObserverSequence
        VerifyingObserverIdentificationCodeSequence VerifyingOrganization AuthorObserverSequence
        ParticipantSequence NamesOfIntendedRecipientsOfResults IntendedRecipientsOfResultsIdentificationSequence
        PersonIdentificationCodeSequence DistributionName DistributionAddress CustodialOrganizationSequence
        PhysicianApprovingInterpretation InterpretationRecorder InterpretationTranscriber InterpretationAuthor
        InterpretationApproverSequence InterpretationIDIssuer
    """),
    # institution, place, devices
    ("X", """
        InstitutionName InstitutionAddress InstitutionCodeSequence InstitutionalDepartmentName StationName
        DeviceSerialNumber DetectorID GantryID GeneratorID CassetteID PlateID ModifyingDeviceID
        ModifyingDeviceManufacturer SecondaryCaptureDeviceID PerformedLocation PerformedStationAETitle
        PerformedStationName PerformedStationNameCodeSequence PerformedStationGeographicLocationCodeSequence
        ScheduledStationAETitle ScheduledStationName ScheduledStationGeographicLocationCodeSequence
        ScheduledProcedureStepLocation ScheduledStudyLocation ScheduledStudyLocationAETitle
        ScheduledPatientInstitutionResidence TimezoneOffsetFromUTC
    """),
    # study, series, procedure
    ("Z", "StudyID"),
    ("X", """
        StudyIDIssuer StudyDescription SeriesDescription StudyComments ProtocolName
        AcquisitionProtocolDescription PerformedProcedureStepDescription PerformedProcedureStepID
        PerformedProcedureStepStartDate PerformedProcedureStepStartTime PerformedProcedureStepEndDate
        PerformedProcedureStepEndTime CommentsOnThePerformedProcedureStep ScheduledProcedureStepStartDate
        ScheduledProcedureStepEndDate ReferencedPerformedProcedureStepSequence ReferencedStudySequence
        ReferencedImageSequence SourceImageSequence AcquisitionContextSequence
        AcquisitionDeviceProcessingDescription ContributionDescription ResultsIDIssuer ResultsComments
        ResultsDistributionListSequence Impressions InterpretationText InterpretationDiagnosisDescription
    """),
    # free text and annotations
    ("X", """
        ImageComments FrameComments AcquisitionComments IdentifyingComments ImagePresentationComments
        DerivationDescription TextComments TextString TopicTitle TopicSubject TopicAuthor TopicKeywords
        Arbitrary GraphicAnnotationSequence ContentSequence IconImageSequence ModifiedImageDescription
        ModifiedAttributesSequence OriginalAttributesSequence DigitalSignaturesSequence
        ReferencedDigitalSignatureSequence ReferencedSOPInstanceMACSequence MAC DataSetTrailingPadding
    """),
    # dates (Modified Dates Option: shifted); times are kept, a whole-day shift leaves them valid
    ("K", "StudyTime SeriesTime AcquisitionTime ContentTime InstanceCreationTime"),
    ("C", """
        StudyDate SeriesDate AcquisitionDate ContentDate InstanceCreationDate AcquisitionDateTime
        FrameAcquisitionDateTime FrameReferenceDateTime
    """),
    # UIDs
    ("U", """
        StudyInstanceUID SeriesInstanceUID SOPInstanceUID FrameOfReferenceUID SynchronizationFrameOfReferenceUID
        ReferencedSOPInstanceUID ReferencedFrameOfReferenceUID RelatedFrameOfReferenceUID ConcatenationUID
        DimensionOrganizationUID IrradiationEventUID InstanceCreatorUID DeviceUID DoseReferenceUID FiducialUID
        LargePaletteColorLookupTableUID StorageMediaFileSetUID TemplateExtensionCreatorUID
        TemplateExtensionOrganizationUID TransactionUID UID RequestedSOPInstanceUID FailedSOPInstanceUIDList
        MediaStorageSOPInstanceUID
    """),
)
# keyword -> action
ACTION_TABLE: dict[str, str] = {
    keyword: action for action, keywords in _ACTIONS_BY_SUBJECT for keyword in keywords.split()
}
ACTION_BY_TAG: dict[int, tuple[str, str]] = {
    tag_for_keyword(keyword): (keyword, action) for keyword, action in ACTION_TABLE.items()
    if tag_for_keyword(keyword) is not None
}
ACTION_NAMES = {"D": "replaced", "Z": "emptied", "X": "removed", "K": "kept", "C": "date shifted", "U": "UID remapped"}


@dataclass
class Pseudonymizer:
    """Consistent per-owner replacements derived from the owner's secret (hex)."""

    secret_hex: str

    def _digest(self, *parts: str) -> bytes:
        message = "\x1f".join(parts).encode("utf-8", "surrogateescape")
        return hmac.new(bytes.fromhex(self.secret_hex), message, hashlib.sha256).digest()

    def uid(self, original: str) -> str:
        """A 2.25 UID (PS3.5 B.2) from 128 bits of the HMAC: same input, same output."""
        return "2.25." + str(int.from_bytes(self._digest("uid", original.strip())[:16], "big"))

    def patient_code(self, patient_key: str) -> str:
        return self._digest("patient", patient_key).hex()[:12].upper()

    def date_shift_days(self, patient_key: str) -> int:
        """Days to add to every date of this patient (negative: 1 to 11 years back)."""
        return -(365 + int.from_bytes(self._digest("date", patient_key)[:4], "big") % MAX_SHIFT_DAYS)


@dataclass
class DeidResult:
    """What was done to one data set: (tag, keyword, action) -> count. No values."""

    counts: Counter = field(default_factory=Counter)
    patient_pseudonym: str = ""

    def note(self, tag: BaseTag | str, keyword: str, action: str) -> None:
        self.counts[(str(tag) if isinstance(tag, str) else f"({tag.group:04X},{tag.element:04X})", keyword, action)] += 1

    def as_report(self) -> list[dict]:
        return [{"tag": tag, "keyword": keyword, "action": action, "done": ACTION_NAMES.get(action, action),
                 "count": count} for (tag, keyword, action), count in sorted(self.counts.items())]


def patient_key(ds: Dataset) -> str:
    """What identifies 'the same patient' for the date shift: ID (with issuer), else name."""
    pid = str(ds.get("PatientID", "") or "").strip()
    if pid:
        return "id:" + str(ds.get("IssuerOfPatientID", "") or "").strip() + "|" + pid
    return "name:" + str(ds.get("PatientName", "") or "").strip().upper()


def _shift_date(value: str, days: int) -> str:
    value = value.strip()
    try:
        shifted = date(int(value[0:4]), int(value[4:6]), int(value[6:8])) + timedelta(days=days)
    except (ValueError, IndexError):
        return ""  # not a valid date: no value is safer than an unparsed one
    return shifted.strftime("%Y%m%d") + value[8:]  # DT keeps its time part


def _is_registered_uid(value: str) -> bool:
    uid = UID(str(value).strip())
    return uid.name != str(uid)  # pydicom names the UIDs of the standard's registry (SOP classes, syntaxes...)


class _Walker:
    def __init__(self, pseudo: Pseudonymizer, days: int, pseudonym: str, result: DeidResult) -> None:
        self.pseudo, self.days, self.pseudonym, self.result = pseudo, days, pseudonym, result

    def walk(self, ds: Dataset) -> None:
        for elem in list(ds):
            tag = elem.tag
            keyword = elem.keyword or keyword_for_tag(tag) or ""
            if tag.is_private:
                del ds[tag]
                self.result.note("private", "private tags", "X")
            elif (tag.group & 0xFF00) in (0x5000, 0x6000):
                del ds[tag]
                self.result.note("curves/overlays", "curve (50xx) and overlay (60xx) groups", "X")
            elif int(tag) in ACTION_BY_TAG:
                self.apply(ds, elem, ACTION_BY_TAG[int(tag)][1])
            elif elem.VR == "SQ":
                for item in elem.value or []:
                    self.walk(item)
            elif elem.VR == "PN":
                self.apply(ds, elem, "Z")
            elif elem.VR == "UI":
                if elem.value and not all(_is_registered_uid(v) for v in _values(elem)):
                    self.apply(ds, elem, "U")
            elif elem.VR in ("DA", "DT"):
                self.apply(ds, elem, "C")

    def apply(self, ds: Dataset, elem, action: str) -> None:
        tag, keyword = elem.tag, elem.keyword or "unknown"
        if action == "K":
            if elem.VR == "SQ":
                for item in elem.value or []:
                    self.walk(item)
            return
        if action == "X":
            del ds[tag]
        elif action == "Z":
            elem.value = Sequence() if elem.VR == "SQ" else ""
        elif action == "D":
            if keyword == "PatientName":
                elem.value = f"ANON^{self.pseudonym}"
            elif keyword == "PatientID":
                elem.value = f"ANON-{self.pseudonym}"
            else:
                elem.value = "ANONYMIZED"
        elif action == "C":
            shifted = [_shift_date(str(v), self.days) for v in _values(elem)]
            elem.value = shifted if len(shifted) > 1 else (shifted[0] if shifted else "")
        elif action == "U":
            if elem.value:
                new = [self.pseudo.uid(str(v)) for v in _values(elem)]
                elem.value = new if len(new) > 1 else new[0]
        else:  # pragma: no cover - the table holds only the codes above
            raise ValueError(f"unknown de-identification action {action!r}")
        self.result.note(tag, keyword, action)


def _values(elem) -> list:
    value = elem.value
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)) or type(value).__name__ == "MultiValue":
        return list(value)
    return [value]


def deidentify(ds: Dataset, secret_hex: str) -> DeidResult:
    """De-identify `ds` in place (file meta included) and mark it as de-identified.

    Returns the record of actions for the ingest report; no original value is kept in it."""
    pseudo = Pseudonymizer(secret_hex)
    key = patient_key(ds)
    result = DeidResult(patient_pseudonym=pseudo.patient_code(key))
    walker = _Walker(pseudo, pseudo.date_shift_days(key), result.patient_pseudonym, result)
    walker.walk(ds)
    meta = getattr(ds, "file_meta", None)
    if meta is not None and "MediaStorageSOPInstanceUID" in meta:
        meta.MediaStorageSOPInstanceUID = pseudo.uid(str(meta.MediaStorageSOPInstanceUID))
    ds.PatientIdentityRemoved = "YES"
    ds.DeidentificationMethod = METHOD_TEXT  # LO: at most 64 characters; the codes below say it in full
    codes = Sequence()
    for value, scheme, meaning in METHOD_CODES:
        item = Dataset()
        item.CodeValue, item.CodingSchemeDesignator, item.CodeMeaning = value, scheme, meaning
        codes.append(item)
    ds.DeidentificationMethodCodeSequence = codes
    ds.LongitudinalTemporalInformationModified = "MODIFIED"
    return result
