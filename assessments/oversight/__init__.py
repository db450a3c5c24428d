"""Community oversight (issue 14, items 5 and 6): a public page for every funded project (what
it is for, who delivers it, the money, progress, milestones, evaluations, what citizens said
and their grievances), the public list of projects, and the public totals by province and by
agency. Never a person's data."""
