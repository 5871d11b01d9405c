"""URL configuration. Each area of the registry adds its own include below."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Registro de participantes"
admin.site.site_title = "Registro de participantes"
admin.site.index_title = "Administración del registro"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
