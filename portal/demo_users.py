"""Demo accounts for trying the portal locally (`load_demo --users`).

Never run with --users on a public server: the password is in the README.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from units.models import Unit

DEMO_PASSWORD = "kieumau-demo-2017"  # noqa: S105 (documented demo password)

# username, full name, groups, is_staff, is_superuser, headed unit codes. Each has an
# address at dongson.example: the heads' match the demo's unit-heads file, so that
# its import finds these accounts; staff's receive the daily digest.
ACCOUNTS = [
    ("quantri", "Quản trị hệ thống", [], True, True, []),
    ("canbo", "Lê Thị Hà (cán bộ huyện)", ["Cán bộ huyện"], True, False, []),
    (
        "giamsat",
        "Trịnh Văn Minh (giám sát)",
        ["Cán bộ huyện", "Giám sát tiến độ"],
        True,
        False,
        [],
    ),
    ("bientap", "Nguyễn Thu Trang (biên tập viên)", ["Biên tập viên"], True, False, []),
    (
        "truong.dongkhe",
        "Lê Văn Hùng (Chủ tịch UBND xã Đông Khê)",
        ["Trưởng đơn vị"],
        False,
        False,
        ["XA-DONG-KHE"],
    ),
    (
        "truong.mndonghoa",
        "Phạm Thị Lan (Hiệu trưởng MN Đông Hòa)",
        ["Trưởng đơn vị"],
        False,
        False,
        ["MN-DONG-HOA"],
    ),
]
EMAIL_DOMAIN = "dongson.example"


def load(*, stdout):
    """Create (or reset) the demo accounts."""
    User = get_user_model()
    for username, full_name, groups, is_staff, is_superuser, unit_codes in ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff, user.is_superuser = is_staff, is_superuser
        user.email = f"{username}@{EMAIL_DOMAIN}"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=groups))
        for unit in Unit.objects.filter(code__in=unit_codes):
            unit.heads.add(user)
    names = ", ".join(a[0] for a in ACCOUNTS)
    stdout.write(f"Tài khoản thử: {names} — mật khẩu: {DEMO_PASSWORD}")
