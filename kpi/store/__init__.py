"""The store: SQLAlchemy models, engine, migrations and frame loading."""
