"""The national data set ``manage.py seed_scale`` writes for ``make bench``: synthetic load
data, bulk-written, each row valid for the models' constraints. ``core`` writes the
organisations, calls, proposals and agreements; ``delivery`` what agreements and proposals
go through (reviews, reports, expenses, variations, evaluations); ``participation`` what
citizens do (ratings, grievances, consultations, budgets, polls, meetings, networks,
assemblies). Never imported by the portal itself."""
