"""The to-do list (待办): what needs someone's action in their scope today, from every app.

Each app knows what needs doing about its own records; this module lists them all. Every
provider returns the items for a user's scope on a given day with a fixed number of queries.
"""

import datetime

from assessments import todo as management
from candidates import todo as files
from candidates.todo import TodoItem
from mentorship import todo as cultivation

PROVIDERS = (
    files.incomplete_files,
    files.pool_entries_awaiting_approval,
    cultivation.missing_mentoring_logs,
    cultivation.secondment_items,
    cultivation.secondment_lengths_awaiting,
    cultivation.overdue_plan_items,
    management.reviews_due,
    management.proposals_awaiting_decision,
    management.attention_flags,
)


def items_for(user, today: datetime.date) -> list[TodoItem]:
    items = [item for provider in PROVIDERS for item in provider(user, today)]
    # Undated items first (they are overdue by nature), then by date.
    return sorted(items, key=lambda item: (item.due or datetime.date.min, item.kind, item.candidate_name))
