"""Demo and benchmark data: the builders behind `jeugdketen demo` (the synthetic
municipality GM9999 through the platform's actions), the bulk paths for national-scale
benchmarks (PostgreSQL COPY) and the family-page benchmark household.

The demo sits beside the web shell, above every capability app: it may use them all, and
no app uses it.

- registry.py: areas, organisations, professionals, persons and households (the BRP
  stand-in's population), the demo logins;
- referral.py: the reference index's signals and matches with their history;
- plans.py: the family plans with their analyses, goals, actions and evaluations;
- intake.py: the front door's care reports, triages and intakes over two years;
- closing.py: how the front door's plans end (the differences the insight pages show);
- bulk_registry.py: `demo --scale N`, persons and the access log at national scale;
- bulk_referral.py: the reference index's bulk signals (`python -m jeugdketen.demo.bulk_referral`);
- bench_family.py: the household of the family-page benchmark (bench/family.py).
"""
