"""Site-wide pages of the registry package: the site root and the sign-in form."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from registry.landing import user_home_url, user_may_open


def home(request: HttpRequest) -> HttpResponseRedirect:
    """Each role to where it works (registry.landing); visitors to the sign-in form."""
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("reports:login"))
    url = user_home_url(request=request)
    if url is None:
        # Signed in, but no role opens any page: the 403 page says so and offers sign-out.
        raise PermissionDenied
    return HttpResponseRedirect(url)


class SignInView(LoginView):
    """The one sign-in form (also at the admin's sign-in address).

    After signing in, a `?next=` the user may open wins; any other (a page of another role,
    which would only answer 403) gives way to the user's home.
    """

    template_name = "registry/reports/login.html"
    redirect_authenticated_user = True

    # django-stubs gives this method a `request` parameter that Django 5.2's has not.
    def get_redirect_url(self) -> str:  # type: ignore[override]
        url = super().get_redirect_url()  # "" unless a safe, same-site `next`
        if url and self.request.user.is_authenticated:
            return url if user_may_open(request=self.request, url=url) else ""
        return url

    def get_default_redirect_url(self) -> str:
        return user_home_url(request=self.request) or reverse("home")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """A failed sign-in says how many tries are left before the lockout, so that a user
        who mistyped stops before the hour's lock rather than after it."""
        username = self.request.POST.get("username", "")
        # The failure was counted while the form authenticated (axes' signal receiver).
        failures = AxesProxyHandler.get_failures(self.request, {"username": username})
        left = settings.AXES_FAILURE_LIMIT - failures
        if 0 < left < settings.AXES_FAILURE_LIMIT:
            tries = "un intento" if left == 1 else f"{left} intentos"
            form.add_error(
                None,
                f"Le quedan {tries} antes de que el ingreso con este usuario se bloquee "
                "durante una hora.",
            )
        return super().form_invalid(form)
