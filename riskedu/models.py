"""Every model module, imported once so that ``Base.metadata`` knows all tables (migrations, tests)."""

import riskedu.accounts.models
import riskedu.reports.models
import riskedu.sync.models
import riskedu.teaching.models
import riskedu.triage.models  # noqa: F401
