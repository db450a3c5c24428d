from django.urls import path

from .missions import views

urlpatterns = [
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/new/", views.mission_create, name="mission-create"),
    path("missions/<int:pk>/", views.mission_detail, name="mission-detail"),
    path("missions/<int:pk>/edit/", views.mission_edit, name="mission-edit"),
]
