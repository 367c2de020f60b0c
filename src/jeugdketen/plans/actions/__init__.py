"""The only functions that change a family's plan, and its logged reads.

Each action asks the access policy, writes, logs the access for every member of the
household (NEN 7513) and emits the chain event, in one transaction. Changes to a plan lock
the plan row first (SELECT ... FOR UPDATE), so two people editing at once are serialised;
a form sent with an older revision of the sections is refused, never silently lost.

One module per concern; this package is the app's public write surface, so callers write
`from jeugdketen.plans import actions` and `actions.start_plan(...)`. Reads that log
nothing are in plans.selectors, the plan in words and its diff in plans.versions.
"""

from jeugdketen.plans.actions._common import emit_plan_event
from jeugdketen.plans.actions.closing import close_plan
from jeugdketen.plans.actions.consent import record_consents
from jeugdketen.plans.actions.evaluations import record_evaluation, remind_evaluations
from jeugdketen.plans.actions.goals import add_action, add_goal, complete_action
from jeugdketen.plans.actions.products import (
    PRODUCT_CODE_PATTERN,
    add_product_code,
    list_product_codes,
    set_product_code_active,
)
from jeugdketen.plans.actions.reading import (
    ActionRow,
    FamilyPage,
    plans_of,
    plans_of_citizen,
    read_plan,
)
from jeugdketen.plans.actions.sections import add_concern, remove_concern, update_sections
from jeugdketen.plans.actions.team import (
    RelatedInput,
    add_team_member,
    join_team,
    remove_team_member,
)
from jeugdketen.plans.actions.trajectory import hand_over, start_plan
from jeugdketen.plans.actions.versions import add_comment, approve_version, save_version

__all__ = [
    "PRODUCT_CODE_PATTERN",
    "ActionRow",
    "FamilyPage",
    "RelatedInput",
    "add_action",
    "add_comment",
    "add_concern",
    "add_goal",
    "add_product_code",
    "add_team_member",
    "approve_version",
    "close_plan",
    "complete_action",
    "emit_plan_event",
    "hand_over",
    "join_team",
    "list_product_codes",
    "plans_of",
    "plans_of_citizen",
    "read_plan",
    "record_consents",
    "record_evaluation",
    "remind_evaluations",
    "remove_concern",
    "remove_team_member",
    "save_version",
    "set_product_code_active",
    "start_plan",
    "update_sections",
]
