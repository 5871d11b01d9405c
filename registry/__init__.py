"""The project shell, at the top of the apps' order: settings, URLs, the admin site and the
admin pages of the records (admin/), the landing page, reference and demo data, and the
reports (reports/) that read every app."""
