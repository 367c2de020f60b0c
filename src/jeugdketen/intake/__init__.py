"""The front door (issue 11, ADR 0010): care reports, triage, one joint intake, one
visible queue."""
