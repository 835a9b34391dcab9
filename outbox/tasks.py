"""Tasks of the outbox; the backend is chosen by TW_TASKS_BACKEND (backend/settings.py)."""

from django_tasks import task

from outbox import services


@task()
def send_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)


@task()
def retry_due_emails() -> int:
    return services.email_retry_due()
