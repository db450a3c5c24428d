"""The grievances' Celery task run by beat (hourly): close the answered ones left quiet for
10 working days, erase personal data kept past its time. Late steps are told by the
deadline sweep (portal.notices), whose rules are in ``notices.py``."""

from celery import shared_task

from assessments.grievances.services import grievances_close_quiet, grievances_erase_personal_data


@shared_task(name="assessments.grievances.tasks.sweep_grievances")
def sweep_grievances() -> dict:
    return {"closed": grievances_close_quiet(), "erased": grievances_erase_personal_data()}
