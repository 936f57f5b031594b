"""Statements replayed as a page ran them, shared by the raw side (a psycopg cursor, bench/measure.py)
and the file page's floor (Django's cursor, bench/urls.py), so that both run exactly the same."""


def in_transaction(statements: list) -> list:
    """(sql, params) pairs, inside BEGIN and COMMIT when one sets a planner option for its transaction
    (SET LOCAL), as the page did."""
    if any(sql.startswith("SET LOCAL") for sql, _params in statements):
        return [("BEGIN", None), *statements, ("COMMIT", None)]
    return statements


def run(cursor, statements: list) -> int:
    """Runs each (sql, params) pair and fetches every row; the number of rows."""
    rows = 0
    for sql, params in statements:
        cursor.execute(sql, params)
        if cursor.description is not None:
            rows += len(cursor.fetchall())
    return rows
