"""Kept out of the image by .dockerignore (tests/); here to show the rule works."""
