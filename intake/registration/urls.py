from django.urls import path

from intake.admin_import.school import school_import_roster
from intake.registration import views

app_name = "registration"

urlpatterns = [
    path("", views.cohort_list, name="cohorts"),
    path("cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/register/", views.register, name="register"),
    path("cohorts/<int:pk>/import/", school_import_roster, name="import_roster"),
    path("cohorts/<int:pk>/scores/", views.scores, name="scores"),
    path("matches/", views.matches, name="matches"),
]
