"""`dzshare import`: readers of published tables (importer.py joins them); kept light to import."""
