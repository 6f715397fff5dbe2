"""The five roles and where each one works.

One role per account, stored on the user (a field, not groups): a person who is both an educator
and a reader gets two accounts, which also keeps reader ratings blind to what an educator authored.
"""
from django.db import models


class Role(models.TextChoices):
    TRAINEE = "trainee", "Trainee"
    EDUCATOR = "educator", "Educator"
    RESEARCHER = "researcher", "Researcher"
    READER = "reader", "Reader (radiologist)"
    ADMIN = "admin", "Administrator"


# URL name of each role's home page.
ROLE_HOME = {
    Role.TRAINEE: "teaching:trainee-home",
    Role.EDUCATOR: "teaching:educator-home",
    Role.RESEARCHER: "studies:researcher-home",
    Role.READER: "studies:reader-home",
    Role.ADMIN: "accounts:admin-home",
}
