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
        rows = [self._account(role.value, f"Demo {role.label.split(' ')[0].lower()}", [role]) for role in Role]
        # One person, two roles: a resident who practises and also reads Turing tests.
        rows.append(self._account("resident", "Demo resident", [Role.TRAINEE, Role.READER]))
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

    @staticmethod
    def _account(username: str, first_name: str, roles: list[Role]) -> tuple[str, str, str]:
        password = f"{username}{DEMO_PASSWORD_SUFFIX}"
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.email = first_name, f"{username}@example.org"
        user.is_staff = user.is_superuser = Role.ADMIN in roles
        user.set_password(password)
        user.save()
        for role in roles:
            user.grant_role(role)
        return " + ".join(role.label for role in roles), username, password
