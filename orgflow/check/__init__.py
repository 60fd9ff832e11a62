"""``orgflow check``: org files as code, checked against a policy in CI."""
