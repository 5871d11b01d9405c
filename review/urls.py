"""Review queue URLs, mounted under /review/ by registry.urls."""

from django.urls import path

from review import split_views, views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("pair/<int:pk>/", views.pair, name="pair"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("person/<str:code>/", views.person_detail, name="person"),
    path("splits/", split_views.splits, name="splits"),
    path("splits/<int:pk>/", split_views.split, name="split"),
    path("splits/<int:pk>/undo/", split_views.split_undo, name="split_undo"),
]
