"""The planning job as a task (run by `manage.py lifecycle_worker`; enqueued by `routes.jobs`).

Only the job's id travels through the queue: its input, state and result live in `PlanJob`, so a
task that runs twice (a retried broker delivery) finds the job claimed and does nothing."""

from django_tasks import task


@task()
def run_plan_job(job_id: int) -> str:
    from routes.jobs import plan_job_run

    return plan_job_run(job_id).status
