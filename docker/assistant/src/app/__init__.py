"""Example service for promtior-tasks' Docker workflow."""
