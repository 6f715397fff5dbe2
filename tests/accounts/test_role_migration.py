"""Existing accounts keep their one role when roles become a set, and going back keeps one."""
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = [("accounts", "0001_initial")], [("accounts", "0002_role_sets")]


def _migrate(to):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to)
    return executor.loader.project_state(to).apps


def test_each_accounts_role_becomes_one_grant_and_back():
    try:
        old = _migrate(BEFORE)
        OldUser = old.get_model("accounts", "User")
        OldUser.objects.create(username="ed", role="educator")
        OldUser.objects.create(username="rad", role="reader")

        new = _migrate(AFTER)
        grants = new.get_model("accounts", "RoleGrant").objects
        assert sorted(grants.values_list("user__username", "role")) == [("ed", "educator"), ("rad", "reader")]
        grants.create(user=new.get_model("accounts", "User").objects.get(username="rad"), role="trainee")

        back = _migrate(BEFORE)
        roles = dict(back.get_model("accounts", "User").objects.values_list("username", "role"))
        assert roles == {"ed": "educator", "rad": "trainee"}  # one role: the first in home order
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
