"""The rules of the access policy, one module per domain. Each is a pure function of
(actor, action, target, facts): no database, no other app's code (tests/access/
test_policy_rules_pure.py checks it). Each module names the data kinds it decides in
its `RULES`; `policy.table` joins them into the one table."""
