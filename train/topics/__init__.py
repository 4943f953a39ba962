"""Topic discovery on unlabelled tickets and promotion of a topic to a new category."""
