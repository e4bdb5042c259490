# The access matrix's world (every police role, another force, every kind of partner user, a
# child with a graded and found episode), shared so both tests walk the same records.
from mispers.partners.tests.test_access_matrix import records  # noqa: F401
