"""Unit heads' pages: the invitation's set-password page and the profile (staff's
list of heads with re-send, print and the invitations waiting: ``staff_views``).

Access: the invitation page is public (the token is the key); the profile is the
signed-in head's own (no id in its address, so nobody sees another's); the list
and its actions are for district staff with the heads' permissions (403 for
anyone else). A head asked for by an id that is no head answers 404.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from units.models import Unit

from . import services
from .forms import ProfileForm
from .models import HeadProfile
from .tokens import invitation_token_generator

PER_PAGE = 50
VIEW_PERMISSION = "heads.view_headprofile"
INVITE_PERMISSION = "heads.invite_headprofile"
LETTER_KEY = "heads-letter"


# --- the invitation: choose a password -----------------------------------------


class ActivateView(auth_views.PasswordResetConfirmView):
    """Django's set-password page, with the invitation's own token (heads.tokens).

    Once the password is chosen the link is void (the token covers the password);
    the head signs in with their username, which the page shows.
    """

    token_generator = invitation_token_generator
    template_name = "heads/activate.html"
    success_url = reverse_lazy("login")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.validlink:
            context["username"] = self.user.get_username()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.activate_account(self.user)
        messages.success(
            self.request,
            _(
                "Đã đặt mật khẩu. Hãy đăng nhập bằng tên đăng nhập “%(username)s” và "
                "mật khẩu vừa chọn."
            )
            % {"username": self.user.get_username()},
        )
        return response


# --- the head's own profile ----------------------------------------------------


def _is_head(user):
    return (
        Unit.objects.headed_by(user).exists()
        or HeadProfile.objects.filter(user=user).exists()
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """/tai-khoan/: the signed-in head's name, address, phone and units."""
    user = request.user
    if not _is_head(user):
        raise PermissionDenied
    own = HeadProfile.objects.filter(user=user).first()
    initial = {
        "ho_ten": (own.full_name if own else "") or user.get_full_name(),
        "email": user.email,
        "so_dien_thoai": own.phone if own else "",
    }
    form = ProfileForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user=user,
            full_name=form.cleaned_data["ho_ten"],
            email=form.cleaned_data["email"],
            phone=form.cleaned_data["so_dien_thoai"],
        )
        messages.success(request, _("Đã lưu thông tin tài khoản."))
        return redirect("heads:profile")
    context = {
        "form": form,
        "username": user.get_username(),
        "units": list(Unit.objects.headed_by(user).order_by("name_sort_key", "code")),
        "can_change_password": user.has_usable_password(),
    }
    return render(request, "heads/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "heads/password_change.html"
    success_url = reverse_lazy("heads:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return super().form_valid(form)
