"""The controlled vocabulary of chain events (documented in docs/chain-events.md).

Every KPI is computed from these events, so an activity name is a contract: add new
ones, never rename or reuse one.
"""

from __future__ import annotations

from django.db import models


class Activity(models.TextChoices):
    ORGANISATION_CREATED = "organisation.created", "An organisation joined the chain"
    PROFESSIONAL_CREATED = "professional.created", "A professional account was created"
    ACTIVATION_CODE_ISSUED = "activation_code.issued", "An administrator issued a one-time code to link an authenticator app"
    AUTHENTICATOR_ENROLLED = "authenticator.enrolled", "A user linked an authenticator app with an activation code"
    PERSON_REGISTERED = "person.registered", "A person was entered in the registry for the first time"
    PERSON_REREGISTERED = "person.reregistered", "A known person was entered again by another professional"
    CORRECTION_PROPOSED = "correction.proposed", "Re-entered base data differed: a correction was proposed"
    CORRECTION_DECIDED = "correction.decided", "A correction proposal was accepted or rejected"
    HOUSEHOLD_REGISTERED = "household.registered", "A household was entered"
    EMERGENCY_ACCESS = "access.emergency", "A professional used break-the-glass access"
    GUIDE_COMPLETED = "guide.completed", "A professional completed a decision aid (outcome only)"
    SIGNAL_REGISTERED = "signal.registered", "A signal was registered in the reference index"
    SIGNAL_EXTENDED = "signal.extended", "The duration of an active signal was extended"
    SIGNAL_WITHDRAWN = "signal.withdrawn", "A professional withdrew a signal"
    INDEX_USE_ALERTED = "index.use_alerted", "The privacy officer was alerted to a possible search of the index"
    SIGNAL_ENDED = "signal.ended", "A signal ended (expired, 23rd birthday, death)"
    SIGNAL_ARCHIVED = "signal.archived", "An ended signal moved to the history archive"
    SIGNAL_DESTROYED = "signal.destroyed", "Index data was destroyed (archive term, 23, death)"
    MATCH_CREATED = "match.created", "Signals of different organisations matched"
    MATCH_JOINED = "match.joined", "A further signal joined an existing match"
    COORDINATOR_PROPOSED = "coordinator.proposed", "A coordinator was proposed for a match"
    COORDINATOR_AGREED = "coordinator.agreed", "The involved professionals agreed on a coordinator"
    COORDINATOR_OVERDUE = "coordinator.overdue", "No coordinator agreed in time: municipality alerted"
    COORDINATOR_APPOINTED = "coordinator.appointed", "The municipality appointed a coordinator"
    RIGHTS_REQUEST_RECEIVED = "rights.received", "A request for inspection, correction, copy or objection"
    RIGHTS_REQUEST_ANSWERED = "rights.answered", "A rights request was answered"
    # One family, one plan (issue 4). Plan events carry the household key and the plan id
    # as trajectory key; the attributes carry no content, only what KPIs count.
    PLAN_STARTED = "plan.started", "A trajectory started: a family plan with one coordinator"
    PLAN_UPDATED = "plan.updated", "The plan's sections or concerns were changed"
    COORDINATOR_HANDED_OVER = "plan.handed_over", "The coordinator of a plan changed (date and reason recorded)"
    ANALYSIS_RECORDED = "analysis.recorded", "An integral analysis over the life domains was recorded"
    GOAL_SET = "goal.set", "A result goal with goal-attainment levels was added to the plan"
    PLAN_ACTION_PLANNED = "plan_action.planned", "An action with performer, budget and product code was planned"
    PLAN_ACTION_DONE = "plan_action.done", "An action was done, with the costs actually spent"
    TEAM_JOINED = "team.joined", "A professional or a member of the informal network joined the care team"
    TEAM_LEFT = "team.left", "A member left the care team"
    EVALUATION_RECORDED = "evaluation.recorded", "Goals were scored; the plan's T-score computed"
    PLAN_VERSION_SAVED = "plan.version_saved", "A version of the plan was put to the family"
    PLAN_APPROVED = "plan.approved", "The family approved a version of the plan"
    PLAN_COMMENTED = "plan.commented", "The family or a team member commented on the plan"
    PLAN_CLOSED = "plan.closed", "The plan closed: CBS reason, outcome, satisfaction and costs"
    CONSENT_GIVEN = "consent.given", "Consent was given for an organisation and categories"
    CONSENT_WITHDRAWN = "consent.withdrawn", "Consent was withdrawn (effective at once)"
    LEGAL_BASIS_RECORDED = "legal_basis.recorded", "A legal basis standing in for consent was recorded"
    PRODUCT_CODE_ADDED = "product_code.added", "A municipality added a product code for plan actions"
    # Administration on screen (issue 9).
    GUIDE_VERSION_UPLOADED = "guide.version_uploaded", "A functional administrator uploaded a version of a decision aid"
    GUIDE_VERSION_ACTIVATED = "guide.version_activated", "A version of a decision aid came into use"
    MUNICIPALITY_CONFIGURED = "municipality.configured", "A municipality changed its reference-index settings"
    ORGANISATION_UPDATED = "organisation.updated", "An administrator changed an organisation"
    ORGANISATION_ACTIVE_CHANGED = "organisation.active_changed", "An organisation was deactivated or reactivated"
    PROFESSIONAL_UPDATED = "professional.updated", "An administrator changed a professional's roles"
    PROFESSIONAL_ACTIVE_CHANGED = "professional.active_changed", "A professional's account was switched off or on"
    ACTIVATION_CODE_REVOKED = "activation_code.revoked", "An administrator revoked an open activation code"
    API_TOKEN_REVOKED = "api_token.revoked", "An API token was revoked"
    PRODUCT_CODE_ACTIVE_CHANGED = "product_code.active_changed", "A municipality switched a product code off or on"
    # The front door (issue 11): the trajectory key is the report's, from receipt to the
    # plan's close; attributes are codes and counts, never content.
    CARE_REPORT_RECEIVED = "care_report.received", "A care report reached the municipality's front door"
    CARE_REPORT_TRIAGED = "care_report.triaged", "The front door triaged a care report"
    INTAKE_PLANNED = "intake.planned", "An intake meeting was planned with invited organisations"
    INTAKE_HELD = "intake.held", "An intake meeting was held (start and end)"
    INTAKE_DECIDED = "intake.decided", "The intake meeting decided: plan, advice or referral"
    CARE_REPORT_HELP_STARTED = "care_report.help_started", "Help started after a referral"
    CARE_REPORT_CLOSED = "care_report.closed", "A care report was closed (with its reason)"
    # Insight (issue 12): a municipality's publication settings (no trajectory).
    INSIGHT_SETTINGS_CHANGED = "insight.settings_changed", "A municipality changed how its insight figures are published"
    # Steering, time and satisfaction (issue 13): no trajectory, no person key. The
    # survey's answers enter the log only when the municipality closes the year's survey,
    # and a week's time answers only when the week's question closes (the week after it
    # has ended), summed per team (no event per person): shuffled, all at the closing
    # moment, without an actor.
    TIME_ANSWERED = "time.answered", "One team's answers to the weekly time question of one week: the number of respondents and their summed hours"
    TIME_WEEK_CLOSED = "time.week_closed", "The weekly time question of a week closed: its answers entered the log"
    TEAM_AREAS_SET = "team.areas_set", "A municipality set the neighbourhoods a team works in"
    SURVEY_ANSWER = "survey.answer", "One anonymous answer of a closed job-satisfaction survey"
    SURVEY_CLOSED = "survey.closed", "A municipality closed the year's job-satisfaction survey"
    # Steering (issue 13, steer-sim): a what-if simulation run was asked for (no trajectory).
    SIMULATION_RUN = "simulation.run", "A municipal analyst ran a what-if simulation of the front door"
    # Steering (issue 13, steer-board): the chain board's improvement actions and meeting
    # minutes (no trajectory; attributes are codes, counts and dates, never a person).
    STEERING_ACTION_CREATED = "steering.action_created", "The chain board recorded an improvement action"
    STEERING_ACTION_UPDATED = "steering.action_updated", "An improvement action's status or measured effect changed"
    STEERING_MINUTES_SAVED = "steering.minutes_saved", "The minutes of a chain meeting were saved (a new version)"
    STEERING_MINUTES_CLOSED = "steering.minutes_closed", "The minutes of a chain meeting were closed"
