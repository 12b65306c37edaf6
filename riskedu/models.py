"""Every model module, imported once so that ``Base.metadata`` knows all tables (migrations, tests)."""
