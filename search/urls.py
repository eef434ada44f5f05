from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("tim-kiem/", views.results, name="results"),
    path("tim-kiem/goi-y/", views.autocomplete, name="autocomplete"),
]
