"""The two-level category tree that observations are classified by."""
