"""The front door's write path: care reports, triage, the intake meeting and its outcome.

One module per concern; callers import from the submodules (`from jeugdketen.intake.actions
import reports`, `reports.report(...)`). Each action is `@audit.write_path`: it asks the
access policy, writes, logs the access and emits the chain event (counts and codes only)
in one transaction; every step change stores the due dates of the step's norm.
"""
