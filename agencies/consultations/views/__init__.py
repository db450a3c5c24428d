"""The consultations' pages: ``public`` (the list, a consultation, its discussion),
``taking_part`` (answering, contributing, agree/disagree, reporting, one's own posts),
``running`` (the agency sets up, runs and moderates) and ``heard`` (the analysis and the
response report)."""
