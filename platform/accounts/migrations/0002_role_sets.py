"""Roles become a set: each account's single `role` becomes one RoleGrant row, then the field goes.
Reversing keeps one role per account: admin if held, else the first in home order."""

import accounts.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


HOME_ORDER = ["trainee", "educator", "researcher", "reader", "admin"]


def copy_roles_to_grants(apps, schema_editor):
    User, RoleGrant = apps.get_model("accounts", "User"), apps.get_model("accounts", "RoleGrant")
    RoleGrant.objects.bulk_create(
        [RoleGrant(user_id=pk, role=role) for pk, role in User.objects.values_list("pk", "role")],
        ignore_conflicts=True,
    )


def keep_one_role(apps, schema_editor):
    User, RoleGrant = apps.get_model("accounts", "User"), apps.get_model("accounts", "RoleGrant")
    for user in User.objects.all():
        held = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
        user.role = "admin" if "admin" in held else next((r for r in HOME_ORDER if r in held), "trainee")
        user.save(update_fields=["role"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('trainee', 'Trainee'), ('educator', 'Educator'), ('researcher', 'Researcher'), ('reader', 'Reader (radiologist)'), ('admin', 'Administrator')], max_length=16)),
                ('granted_at', models.DateTimeField(auto_now_add=True)),
                ('granted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='role_grants', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['user', 'role'],
                'constraints': [models.UniqueConstraint(fields=('user', 'role'), name='one_grant_per_role_per_user')],
            },
        ),
        migrations.RunPython(copy_roles_to_grants, keep_one_role),
        migrations.RemoveField(
            model_name='user',
            name='role',
        ),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
    ]
