from django.urls import path

from egov.identity import views

app_name = "identity"
urlpatterns = [
    path("", views.account, name="account"),
    path("dang-nhap/", views.SignInView.as_view(), name="login"),
    path("dang-xuat/", views.SignOutView.as_view(), name="logout"),
    path("dang-ky/", views.register, name="register"),
]
