"""The Django project: settings, URLs, the admin site, the landing page, reference and demo
data, and the reports (registry/reports/) that read every app."""
