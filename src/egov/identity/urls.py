from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "identity"
urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", auth_views.LoginView.as_view(), name="register"),
]
