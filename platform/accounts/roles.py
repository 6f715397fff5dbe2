"""The five roles, the named sets of roles that pages and the API check, and each role's home.

An account holds a *set* of roles (an educator who also runs studies; a resident who is a trainee
and reads a Turing test). Checks ask "does the account hold any role of this set?" through
`accounts.access`; administrators pass every check. Name a set here once and import it; never
spell a tuple of roles in a view.
"""
from django.db import models


class Role(models.TextChoices):
    """What a person may do; the sets below name which roles may use each part of the site."""

    TRAINEE = "trainee", "Trainee"
    EDUCATOR = "educator", "Educator"
    RESEARCHER = "researcher", "Researcher"
    READER = "reader", "Reader (radiologist)"
    ADMIN = "admin", "Administrator"


# Who may upload images, train and generate: the people who build cases and studies.
EDITORS = frozenset({Role.EDUCATOR, Role.RESEARCHER})
# Who authors teaching case sets and runs cohorts.
AUTHORS = frozenset({Role.EDUCATOR})
# Who designs and analyses reader studies.
RESEARCHERS = frozenset({Role.RESEARCHER})
# Who practises on published case sets.
LEARNERS = frozenset({Role.TRAINEE})
# Who rates images in a reader study (a per-study membership can add more, see accounts.access).
READERS = frozenset({Role.READER})
# Who runs the platform.
ADMINS = frozenset({Role.ADMIN})

# What each role's home is for, in one line (the home choice of an account with several roles).
ROLE_PURPOSE = {
    Role.TRAINEE: "Practise on published case sets.",
    Role.EDUCATOR: "Author case sets and teach cohorts.",
    Role.RESEARCHER: "Design and analyse reader studies.",
    Role.READER: "Rate images in the studies you read.",
    Role.ADMIN: "Run the platform.",
}

# URL name of each role's home page, in the order a person holding several sees them.
ROLE_HOME = {
    Role.TRAINEE: "teaching:trainee-home",
    Role.EDUCATOR: "teaching:educator-home",
    Role.RESEARCHER: "studies:researcher-home",
    Role.READER: "studies:reader-home",
    Role.ADMIN: "accounts:admin-home",
}
