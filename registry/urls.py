"""URL configuration. Each area of the registry adds its own include below."""

from django.contrib import admin
from django.urls import include, path

from registry.views import SignInView, home

admin.site.site_header = "Registro de participantes"
admin.site.site_title = "Registro de participantes"
admin.site.index_title = "Administración del registro"

urlpatterns = [
    # One sign-in form for the whole site, also where the admin sends visitors: it lands each
    # role on its home and follows `next` only to a page the user may open.
    path("admin/login/", SignInView.as_view()),
    path("admin/", admin.site.urls),
    path("review/", include("review.urls")),
    path("reports/", include("registry.reports.urls")),
    # The responses' pages first: "followup/<wave>/" must not swallow "followup/responses/".
    path("followup/responses/", include("followup.response_urls")),
    path("followup/", include("followup.urls")),
    path("schools/", include("intake.registration.urls")),
    path("", home, name="home"),
]
