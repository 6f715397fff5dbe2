from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import Cohort, Invitation, User
from accounts.roles import Role


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["role", "email"]

    def __init__(self, *args, inviter: User, **kwargs):
        super().__init__(*args, **kwargs)
        # Only admins may hand out the admin role.
        if not inviter.is_admin_role:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMIN]


class InvitedSignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email"]


class CohortForm(forms.ModelForm):
    trainees = forms.ModelMultipleChoiceField(
        queryset=User.objects.holding(Role.TRAINEE).filter(is_active=True).order_by("username"),
        required=False, widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Cohort
        fields = ["name", "trainees"]
