"""The grievances' web routes (included by assessments/urls.py)."""

from django.urls import path, register_converter

from assessments.grievances import views


class TrackingIdConverter:
    """``GR-2569-7K4Q-M2XD``: anything else is not a grievance's address (404)."""

    regex = r"GR-[0-9]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TrackingIdConverter, "tracking")

urlpatterns = [
    path("grievances/", views.grievance_home, name="grievance-home"),
    path("grievances/new/", views.grievance_file, name="grievance-file"),
    path("grievances/track/", views.grievance_track, name="grievance-track"),
    path("grievances/handle/", views.grievance_list, name="grievance-list"),
    path("grievances/handle/<int:pk>/", views.grievance_handle, name="grievance-handle"),
    path(
        "grievances/handle/<int:pk>/files/<int:file_id>/",
        views.grievance_attachment,
        name="grievance-attachment",
    ),
    path(
        "grievances/<tracking:tracking_id>/filed/",
        views.grievance_filed,
        name="grievance-filed",
    ),
    path("grievances/<tracking:tracking_id>/", views.grievance_status, name="grievance-status"),
]
