"""District staff's pages about unit heads: the list, re-send, the printed letter
and the invitations waiting (403 for anyone without the heads' permissions; a
head asked for by an id that is no head answers 404).
"""

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kieumau.text import fold
from units.models import Unit

from . import services
from .forms import STATES, HeadListForm
from .models import HeadProfile
from .services.invitations import pending
from .services.mail import site_url
from .tokens import valid_seconds

PER_PAGE = 50
VIEW_PERMISSION = "heads.view_headprofile"
INVITE_PERMISSION = "heads.invite_headprofile"
LETTER_KEY = "heads-letter"


# --- staff: the list of heads, re-send, print ---------------------------------


def _staff(permission):
    def decorate(view):
        return login_required(
            permission_required(permission, raise_exception=True)(view)
        )

    return decorate


def _heads():
    """Every account heading a unit or holding a head's profile."""
    User = get_user_model()
    links = Unit.heads.through.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(
            Exists(links) | Exists(HeadProfile.objects.filter(user=OuterRef("pk")))
        )
        .select_related("head_profile")
        .annotate(
            sort_name=Lower(
                Coalesce(
                    NullIf("head_profile__full_name", Value("")),
                    NullIf("first_name", Value("")),
                    "username",
                )
            )
        )
    )


def _state_conditions(now):
    unusable = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
    expiry = now - timedelta(seconds=valid_seconds())
    return {
        "da-kich-hoat": ~unusable,
        "chua-moi": unusable & Q(head_profile__invited_at__isnull=True) & ~Q(email=""),
        "khong-email": unusable
        & Q(head_profile__invited_at__isnull=True)
        & Q(email=""),
        "da-moi": unusable & Q(head_profile__invited_at__gte=expiry),
        "het-han": unusable & Q(head_profile__invited_at__lt=expiry),
    }


def _search(queryset, text):
    key = fold(text)
    units = Unit.heads.through.objects.filter(user=OuterRef("pk")).filter(
        Q(unit__code__icontains=text.strip()) | Q(unit__search_name__contains=key)
    )
    return queryset.filter(
        Q(head_profile__full_name__icontains=text.strip())
        | Q(first_name__icontains=text.strip())
        | Q(last_name__icontains=text.strip())
        | Q(username__icontains=text.strip())
        | Q(email__icontains=text.strip())
        | Exists(units)
    )


@_staff(VIEW_PERMISSION)
def head_list(request):
    """/bao-cao/truong-don-vi/: heads, their units and invitations; pages of 50."""
    form = HeadListForm(request.GET or None)
    now = timezone.now()
    conditions = _state_conditions(now)
    queryset = _heads()
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        queryset = queryset.none()
    elif form.is_bound:
        if form.cleaned_data["q"]:
            queryset = _search(queryset, form.cleaned_data["q"])
        if form.cleaned_data["trang_thai"]:
            queryset = queryset.filter(conditions[form.cleaned_data["trang_thai"]])
    queryset = queryset.prefetch_related(
        Prefetch("headed_units", queryset=Unit.objects.order_by("code"))
    ).order_by("sort_name", "username")
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for user in page.object_list:
        profile = getattr(user, "head_profile", None)
        code, label = (
            services.invitation_state(profile, now=now)
            if profile is not None
            else _state_without_profile(user)
        )
        rows.append(
            {
                "user": user,
                "name": (profile.full_name if profile else "") or user.get_full_name(),
                "phone": profile.phone if profile else "",
                "units": list(user.headed_units.all()),
                "state": code,
                "state_label": label,
                "invited_at": profile.invited_at if profile else None,
                "by_letter": profile.invited_by_letter if profile else False,
                "can_invite": services.can_be_invited(user),
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "rows": rows,
        "page_obj": page,
        "query_string": query.urlencode(),
        "states": STATES,
        "pending_count": pending().count(),
        "can_invite": request.user.has_perm(INVITE_PERMISSION),
        "valid_days": valid_seconds() // 86400,
    }
    return render(request, "heads/head_list.html", context, status=status)


def _state_without_profile(user):
    """An account linked to a unit in the admin, never through a file."""
    if user.has_usable_password():
        return "active", _("Đã kích hoạt")
    if not user.email:
        return "no_email", _("Chưa mời (không có email)")
    return "pending", _("Chờ gửi lời mời")


def _head_for_invitation(pk):
    """A head's account staff may invite (404 for any other account)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    user = _heads().filter(pk=pk).first()
    if user is None or services.is_protected(user):
        raise Http404
    profile = getattr(user, "head_profile", None)
    if profile is None:
        profile = services.ensure_profile(user)
    return user, profile


def _name(user, profile):
    return profile.full_name or user.get_full_name() or user.get_username()


def _refusal(user):
    if user.has_usable_password():
        return _(
            "Tài khoản %(username)s đã kích hoạt: trưởng đơn vị dùng “Quên mật khẩu” "
            "ở trang đăng nhập nếu quên mật khẩu."
        ) % {"username": user.get_username()}
    if not user.is_active:
        return _("Tài khoản %(username)s đang bị khóa.") % {
            "username": user.get_username()
        }
    return None


@_staff(INVITE_PERMISSION)
@require_http_methods(["GET", "POST"])
def resend(request, pk):
    """Email a new invitation, after a confirmation (the old link stops working)."""
    user, profile = _head_for_invitation(pk)
    back = reverse("heads:list")
    refusal = _refusal(user) or (
        None if user.email else _("Tài khoản này chưa có email: hãy in thư mời.")
    )
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST":
        if services.send_invitation(profile, by=request.user):
            messages.success(
                request,
                _("Đã gửi lời mời tới %(email)s; liên kết cũ không còn dùng được.")
                % {"email": user.email},
            )
        else:
            messages.error(
                request,
                _(
                    "Chưa gửi được thư tới %(email)s (máy chủ thư không nhận). Chưa có "
                    "gì thay đổi; hãy thử lại sau hoặc in thư mời."
                )
                % {"email": user.email},
            )
        return redirect(back)
    return render(
        request,
        "heads/head_confirm.html",
        {
            "title": _("Gửi lại lời mời"),
            "name": _name(user, profile),
            "head": user,
            "question": _(
                "Gửi lời mời mới tới %(email)s? Liên kết trong lời mời trước (thư "
                "hoặc thư in) sẽ không còn dùng được."
            )
            % {"email": user.email},
            "button": _("Gửi lời mời"),
            "back": back,
        },
    )


@_staff(INVITE_PERMISSION)
@require_http_methods(["GET", "POST"])
def letter(request, pk):
    """A printable invitation for a head without email, after a confirmation."""
    user, profile = _head_for_invitation(pk)
    back = reverse("heads:list")
    refusal = _refusal(user)
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    if request.method == "POST":
        url, until = services.issue_letter(profile, by=request.user)
        # Shown by a GET (reloading it prints the same letter, not a new one that
        # would void the one already printed); kept in this staff member's session.
        request.session[LETTER_KEY] = {
            "user": user.pk,
            "url": url,
            "until": until.isoformat(),
        }
        return redirect("heads:letter-print", pk=user.pk)
    return render(
        request,
        "heads/head_confirm.html",
        {
            "title": _("In thư mời"),
            "name": _name(user, profile),
            "head": user,
            "question": _(
                "In thư mời có liên kết đặt mật khẩu (dùng được %(days)s ngày)? Liên "
                "kết trong lời mời trước sẽ không còn dùng được."
            )
            % {"days": valid_seconds() // 86400},
            "button": _("Tạo thư mời để in"),
            "back": back,
        },
    )


@_staff(INVITE_PERMISSION)
def letter_print(request, pk):
    """The letter made by the last confirmation, to print (a GET: safe to reload)."""
    user, profile = _head_for_invitation(pk)
    made = request.session.get(LETTER_KEY) or {}
    if made.get("user") != user.pk:
        return redirect("heads:letter", pk=user.pk)
    try:
        until = datetime.fromisoformat(made["until"])
    except (KeyError, TypeError, ValueError):
        return redirect("heads:letter", pk=user.pk)
    context = {
        "name": _name(user, profile),
        "username": user.get_username(),
        "units": list(user.headed_units.order_by("name_sort_key")),
        "url": made.get("url", ""),
        "valid_until": until,
        # The portal's address as emails give it: what the head will type.
        "login_url": site_url("login"),
        "back": reverse("heads:list"),
    }
    return render(request, "heads/letter.html", context)


@_staff(INVITE_PERMISSION)
@require_http_methods(["GET", "POST"])
def send_waiting(request):
    """Email the invitations waiting (as the daily run would), after a confirmation."""
    back = reverse("heads:list")
    waiting = pending().count()
    if not waiting:
        messages.info(request, _("Không có lời mời nào đang chờ gửi."))
        return redirect(back)
    batch = min(waiting, services.SEND_AT_ONCE)
    if request.method == "POST":
        sent, failed = services.send_pending(limit=batch, by=request.user)
        if sent:
            messages.success(request, _("Đã gửi %(n)s lời mời.") % {"n": sent})
        if failed:
            messages.error(
                request,
                _(
                    "%(n)s lời mời chưa gửi được (máy chủ thư không nhận); lần gửi "
                    "hằng ngày sẽ thử lại."
                )
                % {"n": failed},
            )
        return redirect(back)
    return render(
        request,
        "heads/head_confirm.html",
        {
            "title": _("Gửi lời mời đang chờ"),
            "question": _(
                "Gửi %(batch)s lời mời (trong %(waiting)s lời mời đang chờ) tới các "
                "trưởng đơn vị chưa được mời?"
            )
            % {"batch": batch, "waiting": waiting},
            "button": _("Gửi lời mời"),
            "back": back,
        },
    )
