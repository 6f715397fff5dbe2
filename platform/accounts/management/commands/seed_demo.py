"""Create one demo account per role and print the credentials (for `make demo`, never production).

    python manage.py seed_demo
"""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Cohort, User
from accounts.roles import Role

DEMO_PASSWORD_SUFFIX = "-demo-2026"


class Command(BaseCommand):
    help = "Create demo users for every role (idempotent) and print their credentials."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Allow with DEBUG=false.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("refusing to create demo accounts with DEBUG=false (pass --force)")
        rows = []
        for role in Role:
            username = role.value
            password = f"{username}{DEMO_PASSWORD_SUFFIX}"
            user, _ = User.objects.get_or_create(username=username)
            user.first_name = f"Demo {role.label.split(' ')[0].lower()}"
            user.email = f"{username}@example.org"
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.set_password(password)
            user.save()
            user.grant_role(role)
            rows.append((role.label, username, password))
        educator = User.objects.get(username=Role.EDUCATOR.value)
        cohort, _ = Cohort.objects.get_or_create(educator=educator, name="Demo residents 2026")
        cohort.trainees.add(User.objects.get(username=Role.TRAINEE.value))

        for hook in getattr(settings, "DEMO_SEED_HOOKS", []):  # later apps seed their own demo data
            from django.utils.module_loading import import_string

            import_string(hook)(stdout=self.stdout)

        width = max(len(r[0]) for r in rows)
        self.stdout.write(self.style.SUCCESS("Demo accounts (role, username, password):"))
        for label, username, password in rows:
            self.stdout.write(f"  {label:<{width}}  {username:<11} {password}")
