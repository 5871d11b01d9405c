"""The waves' pages, mounted by the project under /followup/."""

from __future__ import annotations

from django.urls import path

from followup import views

app_name = "followup"

urlpatterns = [
    path("", views.wave_list, name="list"),
    path("nueva/", views.wave_new, name="new"),
    path("<int:pk>/", views.wave_detail, name="detail"),
    path("<int:pk>/extraer/", views.wave_draw_view, name="draw"),
    path("<int:pk>/preguntas/", views.wave_question_new, name="question_new"),
    path(
        "<int:pk>/integrantes/<int:member_pk>/reemplazar/",
        views.member_replace,
        name="replace",
    ),
    path(
        "<int:pk>/lista/<str:list_format>.<str:file_type>",
        views.contact_list_download,
        name="contact_list",
    ),
]
