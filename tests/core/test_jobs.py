import pytest
from django.urls import reverse

from core.jobs import claim, request_cancel, resume
from core.models import InvalidTransition, JobStatus
from tests.core.factories import JobFactory

pytestmark = pytest.mark.django_db


def test_it_moves_a_queued_job_to_running_when_claimed():
    job = JobFactory()
    claimed = claim(job.pk, worker="w1")
    assert claimed.status == JobStatus.RUNNING
    assert claimed.attempts == 1 and claimed.worker == "w1" and claimed.heartbeat_at is not None


def test_it_does_not_claim_a_job_twice():
    job = JobFactory()
    assert claim(job.pk, worker="w1") is not None
    assert claim(job.pk, worker="w2") is None


def test_it_does_not_claim_a_job_for_a_message_of_another_task():
    job = JobFactory()
    assert claim(job.pk, worker="w1", task_name="some.other_task") is None
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 0
    assert claim(job.pk, worker="w1", task_name=job.task_name).status == JobStatus.RUNNING


def test_it_does_not_claim_a_finished_job():
    job = JobFactory(status=JobStatus.SUCCEEDED)
    assert claim(job.pk, worker="w1") is None


def test_it_fails_a_job_out_of_attempts_instead_of_running_it():
    job = JobFactory(attempts=3, max_attempts=3)
    assert claim(job.pk, worker="w1") is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "3 attempts" in job.error


def test_it_refuses_transitions_the_state_machine_forbids():
    job = JobFactory(status=JobStatus.SUCCEEDED)
    with pytest.raises(InvalidTransition):
        job.transition(JobStatus.RUNNING)


def test_it_cancels_a_queued_job_at_once_and_a_running_one_by_request():
    queued = JobFactory()
    request_cancel(queued)
    assert queued.status == JobStatus.CANCELLED
    running = JobFactory()
    claim(running.pk, worker="w")
    request_cancel(running)
    running.refresh_from_db()
    assert running.status == JobStatus.RUNNING and running.cancel_requested


def test_it_resumes_a_cancelled_job_as_queued():
    job = JobFactory()
    request_cancel(job)
    resume(job)
    assert job.status == JobStatus.QUEUED and job.attempts == 0


def test_it_shows_a_job_only_to_its_owner(client, alice, charlie):
    job = JobFactory(owner=alice)
    client.force_login(charlie)
    assert client.get(reverse("api:job-detail", args=[job.public_id])).status_code == 404
    assert client.get(reverse("core:job-detail", args=[job.public_id])).status_code == 404
    client.force_login(alice)
    response = client.get(reverse("api:job-detail", args=[job.public_id]))
    assert response.status_code == 200
    assert response.json()["status"] == "queued"


def test_it_answers_conflict_when_cancelling_a_finished_job(client, alice):
    job = JobFactory(owner=alice, status=JobStatus.SUCCEEDED)
    client.force_login(alice)
    response = client.post(reverse("api:job-cancel", args=[job.public_id]))
    assert response.status_code == 409


def test_each_task_is_routed_to_its_queue_by_name_alone():
    import core.tasks  # noqa: F401 - registers the job tasks (not yet imported when this test runs alone)
    import generation.tasks  # noqa: F401
    import imaging.tasks  # noqa: F401
    from radturing.celery import app

    def queue_of(name: str) -> str:
        return app.amqp.router.route({}, name)["queue"].name

    assert queue_of("generation.train") == queue_of("generation.generate") == "gpu"
    assert queue_of("core.self_check_gpu") == "gpu"
    assert queue_of("imaging.ingest_upload") == queue_of("core.self_check") == "default"
    assert queue_of("core.reap_orphaned_jobs") == "default"


def test_a_created_job_is_named_after_its_task(alice):
    from core.jobs import create_job
    from core.tasks import self_check_gpu

    job = create_job(task=self_check_gpu, owner=alice)
    assert (job.kind, job.task_name, job.queue) == ("core.self_check_gpu", "core.self_check_gpu", "gpu")


def test_a_job_task_on_a_queue_no_worker_consumes_is_refused_when_declared(settings):
    from django.core.exceptions import ImproperlyConfigured

    from core.jobs import TASK_QUEUES, job_task

    with pytest.raises(ImproperlyConfigured, match="'nowhere'.*no worker consumes"):
        job_task(name="core.test_nowhere", queue="nowhere")
    assert "core.test_nowhere" not in TASK_QUEUES
    settings.JOB_QUEUES = ("default", "gpu", "nowhere")
    job_task(name="core.test_nowhere", queue="nowhere")  # declared once a worker consumes it
    TASK_QUEUES.pop("core.test_nowhere", None)


def test_the_worker_command_consumes_the_job_queues_and_refuses_others():
    from django.conf import settings
    from django.core.management import CommandError, call_command

    from core.management.commands.worker import Command

    assert Command().create_parser("manage.py", "worker").parse_args([]).queues == ",".join(settings.JOB_QUEUES)
    with pytest.raises(CommandError, match="Unknown queue"):
        call_command("worker", "--queues", "default,gpus")


def test_the_job_list_shows_owners_their_jobs_and_administrators_everyones(client, alice, charlie, users_by_role):
    from accounts.roles import Role

    mine, theirs = JobFactory(owner=alice), JobFactory(owner=charlie)
    client.force_login(alice)
    assert list(client.get(reverse("core:job-list")).context["jobs"]) == [mine]
    assert [row["id"] for row in client.get(reverse("api:job-list")).json()["results"]] == [str(mine.public_id)]
    assert client.post(reverse("api:job-cancel", args=[theirs.public_id])).status_code == 404
    client.force_login(users_by_role[Role.ADMIN])
    assert set(client.get(reverse("core:job-list")).context["jobs"]) == {mine, theirs}
    assert client.post(reverse("api:job-cancel", args=[theirs.public_id])).status_code == 200
