# Agreements, tranches, reports and settlement arrive with the agreements issue.
