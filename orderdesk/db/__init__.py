"""Storage: SQLAlchemy Core tables, the unit of work, repositories and read-side queries."""
