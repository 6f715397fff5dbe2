"""The reader's pages: their studies, consent and profile, the reading page and its images.

A reader reaches only studies they are a member of (404 otherwise, never 403), and only the images
of their own trials. Responses carry nothing about origin or source (studies.reading)."""
from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.access import role_required
from accounts.roles import READERS
from studies.models import PoolImage, StudyReader, StudyStatus
from studies.rating_keys import issue_key
from studies.reading import current_payload, membership_or_404, reencoded_master, with_progress


class ConsentForm(forms.ModelForm):
    agree = forms.BooleanField(label="I have read the consent text and agree to take part.")

    class Meta:
        model = StudyReader
        fields = ["training_level", "years_experience", "specialty"]
        labels = {"years_experience": "Years of experience in radiology"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training_level"].required = True
        self.fields["years_experience"].required = True


@role_required(READERS)
def reader_home(request):
    rows = with_progress(StudyReader.objects.filter(user=request.user))
    return render(request, "studies/reader_home.html", {"rows": rows})


@login_required
def read(request, public_id):
    reader = membership_or_404(request.user, public_id)
    study = reader.study
    if reader.consented_at is None:
        form = ConsentForm(request.POST or None, instance=reader)
        if request.method == "POST" and form.is_valid():
            reader = form.save(commit=False)
            reader.consented_at = timezone.now()
            reader.save()
            return redirect("studies:read", public_id=study.public_id)
        return render(request, "studies/consent.html", {"study": study, "form": form})
    payload = {**current_payload(reader), "rating_key": issue_key(reader)}
    return render(request, "studies/read.html", {
        "study": study, "open": study.status == StudyStatus.OPEN,
        "config": {
            "study": str(study.public_id), "design": study.design, "levels": study.confidence_levels,
            "askRealism": study.ask_realism, "askTells": study.ask_tells,
            "timeLimitSeconds": study.time_limit_seconds, "first": payload,
        },
    })


@login_required
def image(request, public_id, reader_token: str):
    reader = membership_or_404(request.user, public_id)
    pool_image = (PoolImage.objects.select_related("image")
                  .filter(study=reader.study, reader_token=reader_token).first())
    if pool_image is None or not (reader.trials.filter(first=pool_image) | reader.trials.filter(second=pool_image)).exists():
        raise Http404("No such image.")
    response = HttpResponse(reencoded_master(pool_image), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
