"""Import of unit heads (CONTRACT §1.6): accounts found or made, linked to units.

One row per unit and head; a person heading several units is on several rows.
How a row finds its account (key, address, a head of the unit with that name, or
a new account) is described in ``heads.services.accounts``. For each unit the
file names, the heads it lists are that unit's heads afterwards: any other is
unlinked from that unit, never deleted; units the file does not name keep theirs.
A value of the file changes an account only when it differs from what the last
file said (``HeadProfile.file_*``), so a head's own correction on the profile page
stays. New accounts are invited once the import has committed.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from heads import services as heads
from heads.models import HeadProfile
from units.models import Unit

from .base import changed_columns
from .heads_rows import Person, parse_rows

COLUMNS = ["ma_don_vi", "ho_ten", "email", "so_dien_thoai", "ma_tai_khoan"]
REQUIRED = ["ma_don_vi", "ho_ten", "email"]
LABEL = "trưởng đơn vị"
UNLINK_LABEL = "gỡ trưởng đơn vị"


class Accounts:
    """The accounts a file may mean, loaded in a few queries."""

    def __init__(self, lines, units):
        User = get_user_model()
        emails = {li.email for li in lines if li.email}
        keys = {li.key for li in lines if li.key}
        self.users = {}
        self.by_key = {}
        for profile in HeadProfile.objects.filter(key__in=keys).select_related("user"):
            self.by_key[profile.key] = profile.user
            self._keep(profile.user, profile)
        self.owners = {}  # address -> {user id}: the account's own, or the file's
        users = (
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .select_related("head_profile")
        )
        for user in users:
            self._keep(user, getattr(user, "head_profile", None))
            self.owners.setdefault(user.address, set()).add(user.pk)
        for profile in HeadProfile.objects.filter(file_email__in=emails).select_related(
            "user"
        ):
            self._keep(profile.user, profile)
            self.owners.setdefault(profile.file_email, set()).add(profile.user_id)
        self.heads = {}  # unit id -> [link rows]
        links = (
            Unit.heads.through.objects.filter(unit__in=units.values())
            .select_related("user", "user__head_profile")
            .order_by("pk")
        )
        for link in links:
            self._keep(link.user, getattr(link.user, "head_profile", None))
            self.heads.setdefault(link.unit_id, []).append(link)

    def _keep(self, user, profile):
        self.users.setdefault(user.pk, (user, profile))

    def profile(self, user):
        return self.users[user.pk][1]

    def names(self, user):
        """The names a head of a unit may be recognised by."""
        profile = self.profile(user)
        names = {heads.name_key(user.get_full_name())}
        if profile is not None:
            names |= {
                heads.name_key(profile.full_name),
                heads.name_key(profile.file_name),
            }
        return names - {""}


def _resolve(line, unit, accounts, claimed):
    """The user ``line`` means (None: a new account), or False after an error."""
    row = line.row
    if line.email in claimed and line.key is None:
        return claimed[line.email]  # the same address earlier in the file
    owners = accounts.owners.get(line.email, set())
    if line.key is not None:
        user = accounts.by_key.get(line.key)
        if user is None:
            row.error("ma_tai_khoan", f"không có tài khoản mã “{line.key}”")
            return False
        if owners - {user.pk}:
            row.error("email", f"địa chỉ “{line.email}” là của một tài khoản khác")
            return False
        return user
    if len(owners) > 1:
        row.error(
            "email",
            f"địa chỉ “{line.email}” thuộc nhiều tài khoản; hãy ghi cột ma_tai_khoan",
        )
        return False
    if owners:
        return accounts.users[next(iter(owners))][0]
    wanted = heads.name_key(line.name)
    same = [
        link.user
        for link in accounts.heads.get(unit.pk, [])
        if wanted in accounts.names(link.user)
    ]
    if len(same) > 1:
        row.error(
            "ho_ten",
            f"{unit.code} có nhiều trưởng đơn vị tên “{line.name}”; hãy ghi cột "
            "ma_tai_khoan",
        )
        return False
    return same[0] if same else None


def _spelled(name):
    """A name as written, but for case and spaces (Hùng and Hưng differ)."""
    return " ".join(name.casefold().split())


def _agree(person, line, has_phone):
    """A person on several rows: the same name, address and phone on each."""
    if _spelled(person.name) != _spelled(line.name):
        line.row.error("ho_ten", f"khác họ tên ở dòng {person.row} của cùng người này")
    elif person.email != line.email:
        line.row.error("email", f"khác email ở dòng {person.row} của cùng người này")
    elif has_phone and (person.phone or "") != (line.phone or ""):
        line.row.error(
            "so_dien_thoai",
            f"khác số điện thoại ở dòng {person.row} của cùng người này",
        )


def _changes(person, accounts):
    """What the file changes on a found account (as the file last said: kept)."""
    user = person.user
    profile = accounts.profile(user)
    person.profile = profile
    current_name = profile.full_name if profile else user.get_full_name()
    current_phone = profile.phone if profile else ""
    last = {
        "name": profile.file_name if profile else None,
        "email": profile.file_email if profile else None,
        "phone": profile.file_phone if profile else None,
    }
    wanted = {"name": person.name, "email": person.email, "phone": person.phone}
    new = {
        "name": current_name,
        "email": (user.email or "").lower(),
        "phone": current_phone,
    }
    for key, value in wanted.items():
        # None: the phone column is not in the file. Without a profile no file
        # spoke of this account before: the file's values are taken.
        if value is not None and (profile is None or value != last[key]):
            new[key] = value
    person.changes = {
        "full_name": new["name"],
        "email": new["email"],
        "phone": new["phone"],
        "file_name": person.name,
        "file_email": person.email,
        "file_phone": person.phone
        if person.phone is not None
        else (profile.file_phone if profile else ""),
    }
    person.shown = changed_columns(
        [
            ("ho_ten", current_name, new["name"]),
            ("email", (user.email or "").lower(), new["email"]),
            ("so_dien_thoai", current_phone, new["phone"]),
        ]
    )
    if heads.is_protected(user) and any(
        column in ("ho_ten", "email") for column, _old, _new in person.shown
    ):
        return (
            "tài khoản của cán bộ huyện: họ tên và email chỉ đổi trong trang quản trị"
        )
    return None


def validate(table, report):
    lines, has_phone = parse_rows(table, report)
    units = {
        u.code: u for u in Unit.objects.filter(code__in={li.unit_code for li in lines})
    }
    accounts = Accounts(lines, units)
    people = {}  # user id, or ("new", email) -> Person
    claimed = {}  # address -> the user (None: new) an earlier row meant
    seen = {}  # (unit id, person) -> row
    for line in lines:
        row = line.row
        unit = units.get(line.unit_code) if line.unit_code else None
        if line.unit_code and unit is None:
            row.error("ma_don_vi", f"không tìm thấy đơn vị “{line.unit_code}”")
        if not row.ok or unit is None:
            continue
        user = _resolve(line, unit, accounts, claimed)
        if user is False:
            continue
        identity = user.pk if user is not None else ("new", line.email)
        person = people.get(identity)
        if person is None:
            person = Person(
                row.number,
                line.name,
                line.email,
                line.phone,
                user=user,
                created=user is None,
            )
            if user is not None:
                refusal = _changes(person, accounts)
                if refusal:
                    row.error("email", refusal)
                    continue
            people[identity] = person
        else:
            _agree(person, line, has_phone)
            if not row.ok:
                continue
        claimed.setdefault(line.email, user)
        if (unit.pk, identity) in seen:
            first = seen[unit.pk, identity]
            row.error(
                "ma_don_vi", f"trùng đơn vị “{unit.code}” và người này với dòng {first}"
            )
            continue
        seen[unit.pk, identity] = row.number
        linked = user is not None and any(
            link.user_id == user.pk for link in accounts.heads.get(unit.pk, [])
        )
        person.units.append((unit, linked))
        key = f"{unit.code} · {line.email}"
        columns = person.shown if person.units[0][0] is unit else []
        if not linked:
            outcome = "created"
        elif columns:
            outcome = "updated"
        else:
            outcome = "unchanged"
        report.change(outcome, LABEL, key, columns)
        report.count(outcome)
    unlinks = _unlinks(units, people, accounts, report) if report.ok else []
    return {"people": list(people.values()), "unlinks": unlinks}


def _unlinks(units, people, accounts, report):
    """Heads of the file's units that the file no longer lists for them."""
    listed = {
        (unit.pk, person.user.pk)
        for person in people.values()
        if not person.created
        for unit, _linked in person.units
    }
    named = {unit.pk for person in people.values() for unit, _linked in person.units}
    gone = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        if unit.pk not in named:
            continue
        for link in accounts.heads.get(unit.pk, []):
            if (unit.pk, link.user_id) in listed:
                continue
            gone.append(link)
            who = link.user.get_full_name() or link.user.get_username()
            report.count("updated")
            report.change("updated", UNLINK_LABEL, f"{unit.code} · {who}")
    return gone


@transaction.atomic
def write(plan, *, user):
    """Accounts made and changed, links added and removed; invitations queued."""
    User = get_user_model()
    people = plan["people"]
    new = [p for p in people if p.created]
    made = heads.create_head_accounts(
        [{"name": p.name, "email": p.email, "phone": p.phone} for p in new], by=user
    )
    for person in new:
        person.user = made[person.email]
    changed_users, new_profiles, changed_profiles = [], [], []
    new_address = set()
    profile_fields = ["full_name", "phone", "file_name", "file_email", "file_phone"]
    for person in people:
        if person.created:
            continue
        account, values = person.user, person.changes
        if not heads.is_protected(account):
            first, last = heads.split_name(values["full_name"])
            if (account.email or "").lower() != values["email"]:
                new_address.add(account.pk)
            if (account.first_name, account.last_name, account.email) != (
                first,
                last,
                values["email"],
            ):
                account.first_name, account.last_name = first, last
                account.email = values["email"]
                changed_users.append(account)
        profile = person.profile
        if profile is None:
            new_profiles.append(
                HeadProfile(user=account, **{f: values[f] for f in profile_fields})
            )
        elif any(getattr(profile, f) != values[f] for f in profile_fields):
            for f in profile_fields:
                setattr(profile, f, values[f])
            changed_profiles.append(profile)
    User.objects.bulk_update(changed_users, ["first_name", "last_name", "email"])
    heads.save_profiles(new_profiles, by=user, created=True)
    heads.save_profiles(changed_profiles, by=user, fields=profile_fields)
    group = heads.head_group()
    User.groups.through.objects.bulk_create(
        [
            User.groups.through(user_id=p.user.pk, group_id=group.pk)
            for p in people
            if not p.created
        ],
        ignore_conflicts=True,
    )
    Unit.heads.through.objects.bulk_create(
        [
            Unit.heads.through(unit_id=unit.pk, user_id=person.user.pk)
            for person in people
            for unit, linked in person.units
            if not linked
        ],
        ignore_conflicts=True,
    )
    gone = [link.pk for link in plan["unlinks"]]
    Unit.heads.through.objects.filter(pk__in=gone).delete()
    # New accounts, and found ones still without a password that were never
    # invited or whose address changed (the old link went to the old address).
    invite = [
        person.user.pk
        for person in people
        if person.created
        or (
            heads.can_be_invited(person.user)
            and (
                person.profile is None
                or person.profile.invited_at is None
                or person.user.pk in new_address
            )
        )
    ]
    heads.invite_after_commit(invite, by=user)
