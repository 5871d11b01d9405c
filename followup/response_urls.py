"""Response import URLs, mounted under /followup/responses/ by registry.urls."""

from django.urls import path

from followup import response_views

app_name = "followup_responses"

urlpatterns = [
    path("", response_views.wave_list, name="waves"),
    path("<int:wave_id>/", response_views.wave_import, name="import"),
]
