"""Every model module, imported once so that ``Base.metadata`` knows all tables (migrations, tests)."""

import riskedu.sync.models  # noqa: F401
