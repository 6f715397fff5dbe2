from __future__ import annotations

from django import forms

from imaging.models import ImageCollection
from imaging.uploads import upload_collections


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one <input type=file multiple> (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": ".dcm,.dicom,.png,.tif,.tiff,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


MODALITIES = [("OT", "Other / unknown"), ("CT", "CT (values are HU + 1024)"), ("MR", "MR"), ("CR", "CR"),
              ("DX", "DX"), ("MG", "MG"), ("US", "US"), ("PT", "PT"), ("NM", "NM")]


class UploadForm(forms.Form):
    """The upload page's fields, for rendering: imaging.uploads.receive_upload reads the post, with
    the same rules and sentences as POST /api/uploads/."""

    files = MultipleFileField(label="Files (DICOM, PNG, TIFF or zip)", required=False)
    collection = forms.ModelChoiceField(queryset=ImageCollection.objects.none(), required=False,
                                        empty_label="A new collection", to_field_name="public_id")
    collection_name = forms.CharField(required=False, max_length=200, label="Name of the new collection",
                                      help_text="Leave empty for a dated name.")
    modality = forms.ChoiceField(choices=MODALITIES, initial="OT", label="Modality of PNG/TIFF files",
                                 help_text="DICOM files carry their own.")
    keep_originals = forms.BooleanField(
        required=False, label="Keep the original files",
        help_text="Off by default: only de-identified pixels and headers are stored. When on, the original "
                  "files (with any identifying data they hold) are kept in separate private storage.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["collection"].queryset = upload_collections(user)
