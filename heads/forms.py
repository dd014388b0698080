"""Forms of the unit heads' pages: their profile, and the staff's list filters."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kieumau.text import nfc

from .services import email_in_use

PHONE = re.compile(r"^\+?\d{8,15}$")

# The staff list's invitation filter: value in the query string, label.
STATES = [
    ("chua-moi", _("Chờ gửi lời mời")),
    ("da-moi", _("Đã mời, chờ đặt mật khẩu")),
    ("het-han", _("Lời mời đã hết hạn")),
    ("khong-email", _("Chưa mời (không có email)")),
    ("da-kich-hoat", _("Đã kích hoạt")),
]


class ProfileForm(forms.Form):
    """What a unit head keeps about themselves: name, address, phone."""

    ho_ten = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages={
            "required": _("Xin nhập họ và tên."),
            "max_length": _("Họ tên dài quá %(limit_value)s ký tự."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Lời mời, thư nhắc và thư đặt lại mật khẩu gửi tới địa chỉ này."),
        error_messages={
            "required": _("Xin nhập địa chỉ email."),
            "invalid": _("Địa chỉ email không hợp lệ."),
        },
    )
    so_dien_thoai = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        error_messages={
            "max_length": _("Số điện thoại dài quá %(limit_value)s ký tự.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["ho_ten"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["so_dien_thoai"].widget.attrs.update(
            autocomplete="tel", inputmode="tel"
        )

    def clean_ho_ten(self):
        return nfc(self.cleaned_data["ho_ten"])

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != (self.user.email or "").lower() and email_in_use(
            email, exclude=self.user
        ):
            raise forms.ValidationError(
                _("Địa chỉ này đã dùng cho một tài khoản khác.")
            )
        return email

    def clean_so_dien_thoai(self):
        phone = nfc(self.cleaned_data["so_dien_thoai"])
        if phone and not PHONE.match(re.sub(r"[\s.()-]", "", phone)):
            raise forms.ValidationError(
                _("Số điện thoại gồm 8–15 chữ số (có thể có dấu cách, chấm, gạch nối).")
            )
        return phone


class HeadListForm(forms.Form):
    """The staff's list of unit heads: search and invitation state."""

    q = forms.CharField(
        label=_("Tên, tên đăng nhập, email hoặc mã đơn vị"),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Từ khóa dài quá %(limit_value)s ký tự.")},
        widget=forms.TextInput(
            attrs={"type": "search", "class": "form-control", "maxlength": 200}
        ),
    )
    trang_thai = forms.ChoiceField(
        label=_("Lời mời"),
        required=False,
        choices=[("", _("Tất cả")), *STATES],
        error_messages={"invalid_choice": _("Trạng thái không hợp lệ.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
