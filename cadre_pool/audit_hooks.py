"""Adds a link to the candidate's audit history on the candidate page, for district staff only."""

from cadre_pool import panels


@panels.register("audit/_candidate_panel.html", order=200)
def audit_history_panel(candidate, user):
    return {} if user.can_decide else None
