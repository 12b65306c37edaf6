"""Alembic environment: the engine comes from the Flask app (``flask db …``), never from an ini file."""

from alembic import context

import riskedu.models  # noqa: F401  (registers every model on Base.metadata)
from riskedu.database import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables the portable way.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
