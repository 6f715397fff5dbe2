"""The tail most rows share: stamped when created and listed newest first.

A model that adds Meta options of its own keeps the ordering by writing
`class Meta(NewestFirst.Meta):`; one without a Meta inherits it as it is."""
from __future__ import annotations

from django.db import models


class NewestFirst(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
