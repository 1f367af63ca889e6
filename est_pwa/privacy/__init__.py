"""Personal data in free text: finding it, warning about it and masking it."""
