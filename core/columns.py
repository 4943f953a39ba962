"""Canonical column names of a ticket table, whatever the source file called them."""

TEXT, LABEL, LANGUAGE, PRIORITY = "text", "label", "language", "priority"
