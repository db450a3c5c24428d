# Scoring on the five criteria and evaluations arrive with the calls and agreements issues.
