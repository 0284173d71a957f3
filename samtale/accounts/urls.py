from django.contrib.auth import views as auth_views
from django.urls import path

from samtale.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="password_reset_confirm"),
    path("activate/<uidb64>/<token>/", views.Activate.as_view(), name="activate"),
    path("account/", views.account, name="account"),
    path("account/password/", views.PasswordChange.as_view(), name="password_change"),
    path("language/", views.set_language, name="set_language"),
]
