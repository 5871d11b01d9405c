from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        # Connects the sign-out receiver that deletes a user's waiting roster previews.
        from courses import checks  # noqa: F401  (registers the previews folder check)
        from courses.roster_import import previews  # noqa: F401
