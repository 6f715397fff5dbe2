"""Imaging store pages: uploads, ingest reports, the image viewer."""
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role


@role_required(Role.EDUCATOR, Role.RESEARCHER)
def index(request):
    return render(request, "imaging/index.html")
