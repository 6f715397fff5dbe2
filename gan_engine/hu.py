"""The storage offset of Hounsfield units: a CT value is kept as the unsigned 16-bit HU + HU_OFFSET.

Why an offset: 16-bit PNG masters (and the unsigned pixels of our DICOM exports) hold 0..65535,
but HU go below zero (air is about -1000 HU). Adding 1024 maps the -1024 HU floor that most
scanners store for air and outside-of-field to 0, keeps every whole HU an exact integer, and still
reaches +64511 HU. DICOM writes the same mapping as RescaleSlope 1 and RescaleIntercept
-HU_OFFSET (PS3.3 C.11.1.1.2), and the browser viewer undoes it with the image's
`rescale_intercept`. The engine, the imaging store and the exports all import it from here.
"""
from __future__ import annotations

HU_OFFSET = 1024  # stored = HU + HU_OFFSET; HU = stored - HU_OFFSET
