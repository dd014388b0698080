from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    path("binh-chon/", views.QuestionListView.as_view(), name="list"),
    path("binh-chon/ma/", views.token, name="token"),
    path("binh-chon/<int:pk>/", views.QuestionDetailView.as_view(), name="detail"),
    path("binh-chon/<int:pk>/bieu-quyet/", views.vote, name="vote"),
]
