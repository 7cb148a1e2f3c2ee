"""Notebooks: execution on the project kernel, output normalisation, HTML pages."""
