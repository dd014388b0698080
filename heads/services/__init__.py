"""What changes unit heads' accounts and what is sent to them.

- ``accounts``: accounts made from the office's file, the profile, activation;
- ``invitations``: the one-time link to choose a password, by email or printed;
- ``reminders``: what is due today (before the lock, returned, accepted, the
  staff's digest);
- ``mail``: sending one message and logging it once.
"""

from .accounts import (
    HEAD_GROUP,
    activate_account,
    create_head_accounts,
    email_in_use,
    ensure_profile,
    head_group,
    is_protected,
    name_key,
    save_profiles,
    split_name,
    update_profile,
)
from .invitations import (
    SEND_AT_ONCE,
    can_be_invited,
    invitation_state,
    invitations_held,
    invite_after_commit,
    issue_letter,
    send_invitation,
    send_pending,
)
from .reminders import due_reminders, send_reminders

__all__ = [
    "HEAD_GROUP",
    "SEND_AT_ONCE",
    "activate_account",
    "can_be_invited",
    "create_head_accounts",
    "due_reminders",
    "email_in_use",
    "ensure_profile",
    "head_group",
    "invitation_state",
    "invitations_held",
    "invite_after_commit",
    "is_protected",
    "issue_letter",
    "name_key",
    "save_profiles",
    "send_invitation",
    "send_pending",
    "send_reminders",
    "split_name",
    "update_profile",
]
