"""Tasks of the outbox; the backend is chosen by TW_TASKS_BACKEND (backend/settings.py)."""

from django_tasks import task

from outbox import services


@task()
def send_email(email_id: int) -> str:
    return services.email_deliver(email_id=email_id)


@task()
def send_emails(email_ids: list[int]) -> list[str]:
    """A batch queued together (the daily job); each message keeps its own retries."""
    return [services.email_deliver(email_id=pk) for pk in email_ids]


@task()
def retry_due_emails() -> int:
    return services.email_retry_due()
