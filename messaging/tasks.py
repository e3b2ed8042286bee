"""django-q2 tasks for texts. Idempotent: the sent-log claim makes a second run send nothing."""

from messaging.delivery import deliver, retry_stale_texts


def send_text_task(key: str):
    return deliver(key)


def retry_stale_texts_task():
    return retry_stale_texts()
