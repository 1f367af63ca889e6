"""The audit trail of changes and exports."""
