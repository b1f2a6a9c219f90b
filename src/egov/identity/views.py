"""Account pages: thin over the forms and services."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from egov.identity import services
from egov.identity.forms import CitizenRegistrationForm, OrganisationRegistrationForm, SignInForm

# The registration page's two tabs, chosen by ?loai= so they work without JavaScript.
REGISTRATION_KINDS = {
    "cong-dan": (CitizenRegistrationForm, gettext_lazy("Công dân")),
    "to-chuc": (OrganisationRegistrationForm, gettext_lazy("Tổ chức, doanh nghiệp")),
}


class SignInView(auth_views.LoginView):
    """Django's LoginView (CSRF, safe ``next``, session rotated by ``login()``), our form."""

    form_class = SignInForm
    template_name = "identity/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """POST only (Django 5): a link or an image on another site cannot sign anyone out."""


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("identity:account")
    kind = request.GET.get("loai", "cong-dan")
    if kind not in REGISTRATION_KINDS:
        kind = "cong-dan"
    form_class, _label = REGISTRATION_KINDS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if user is not None:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Đăng ký thành công. Chào mừng %(name)s!") % {"name": user})
            return redirect("identity:account")
    tabs = [(key, label, key == kind) for key, (_cls, label) in REGISTRATION_KINDS.items()]
    return render(request, "identity/register.html", {"form": form, "kind": kind, "tabs": tabs})


@login_required
@never_cache
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request, "identity/account.html", {"account": user, "roles": services.staff_roles(user)}
    )
