"""The system owner's pages: users and organisations."""
