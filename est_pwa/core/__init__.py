"""Pages every visitor sees: start, language, accessibility statement."""
