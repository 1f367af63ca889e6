"""Analysis: pure, typed functions over plain rows (no Flask), used by the views."""
