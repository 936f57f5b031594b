"""Who may see what: the township scoping rule (scoping) and the roles each view declares (declarations)."""
