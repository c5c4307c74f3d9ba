"""The reassignment plan, split by concern (the plan slice writes this package's docstring)."""
