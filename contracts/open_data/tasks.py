"""The Celery task of the open data: rebuild the files whose data changed."""

from celery import shared_task

from contracts.open_data.services import exports_refresh


@shared_task(name="contracts.open_data.refresh")
def refresh_open_data() -> list[str]:
    """Every minute (Celery beat), and when a request finds a file out of date."""
    return [f"{export.name} ({export.language})" for export in exports_refresh()]
