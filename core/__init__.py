"""Names every room shares: params, columns, errors, model and routing names, the prediction schema.

Imports nothing else of the project, so any room may import it.
"""
