"""Generation pages: the GAN model registry and training/generation/evaluation jobs."""
from django.shortcuts import render

from accounts.access import role_required
from accounts.roles import Role


@role_required(Role.EDUCATOR, Role.RESEARCHER)
def index(request):
    return render(request, "generation/index.html")
