from django.apps import AppConfig


class StudiesConfig(AppConfig):
    name = "studies"

    def ready(self) -> None:
        from accounts.access import register_role_source
        from accounts.roles import Role

        def reads_a_study(user) -> set[str]:
            """Reading a study is a membership any account can hold (a trainee too)."""
            from studies.models import StudyReader

            return {Role.READER} if StudyReader.objects.filter(user=user).exists() else set()

        register_role_source(reads_a_study)
