"""Public meetings of an agency (issue 15, item 6): hearings, focus groups, town halls, expert
panels and deliberative dialogues, with registration, a waiting list that moves up when
someone cancels, accessibility needs, attendance, and minutes published afterwards."""
