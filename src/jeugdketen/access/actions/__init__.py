"""The only functions that change access data, and the logged reads of access data.

One module per concern: login accounts (`accounts`), API tokens (`tokens`), an account's credentials as a whole
(`credentials`), activation codes and linking an authenticator app (`activation`), the
second factor at login (`second_factor`), reading the access log (`access_log`), the
break-the-glass review (`break_glass`), consent (`consent`) and legal bases
(`legal_basis`). This package is the app's public write surface, so callers write
`from jeugdketen.access import actions` and `actions.issue_token(...)`. Reads that log
nothing are in access.selectors; they are named here too, so callers need not know where
a function lives.
"""

from jeugdketen.access.actions.access_log import (
    ACCESS_LOG_PAGE,
    AccessLogPage,
    access_log_page,
    read_access_log,
)
from jeugdketen.access.actions.accounts import create_account, switch_accounts
from jeugdketen.access.actions.activation import (
    ACTIVATION_ALPHABET,
    ACTIVATION_LENGTH,
    ACTIVATION_REFUSALS,
    enrol_authenticator,
    format_activation_code,
    issue_activation_code,
    issue_activation_code_for_professional,
    normalise_activation_code,
    revoke_activation_code,
    start_enrolment,
)
from jeugdketen.access.actions.break_glass import break_glass_uses, review_break_glass
from jeugdketen.access.actions.consent import (
    CONSENT_ALONE_FROM,
    CONSENT_TOGETHER_FROM,
    check_givers,
    consents_for,
    give_consent,
    withdraw_consent,
)
from jeugdketen.access.actions.credentials import credentials_of, revoke_credentials
from jeugdketen.access.actions.legal_basis import record_legal_basis
from jeugdketen.access.actions.second_factor import verify_second_factor
from jeugdketen.access.actions.tokens import create_token, issue_token, revoke_token
from jeugdketen.access.selectors import (
    TOKEN_SQL,
    account_record,
    actor_for_user,
    custody_holders_of,
    system_actor,
    team_access_lost,
    user_for_token,
)

__all__ = [
    "ACCESS_LOG_PAGE",
    "ACTIVATION_ALPHABET",
    "ACTIVATION_LENGTH",
    "ACTIVATION_REFUSALS",
    "CONSENT_ALONE_FROM",
    "CONSENT_TOGETHER_FROM",
    "TOKEN_SQL",
    "AccessLogPage",
    "access_log_page",
    "account_record",
    "actor_for_user",
    "break_glass_uses",
    "check_givers",
    "consents_for",
    "create_account",
    "create_token",
    "credentials_of",
    "custody_holders_of",
    "enrol_authenticator",
    "format_activation_code",
    "give_consent",
    "issue_activation_code",
    "issue_activation_code_for_professional",
    "issue_token",
    "normalise_activation_code",
    "read_access_log",
    "record_legal_basis",
    "review_break_glass",
    "revoke_activation_code",
    "revoke_credentials",
    "revoke_token",
    "start_enrolment",
    "switch_accounts",
    "system_actor",
    "team_access_lost",
    "user_for_token",
    "verify_second_factor",
    "withdraw_consent",
]
