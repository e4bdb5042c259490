"""Casework: the workflows that span apps (report, grade, review, record the return, close,
withdraw, a partner's report, allocate), one explicit function each, in order, in one
transaction. Pages, the API, commands, jobs and the synthetic generator call these; the domain
apps below never import this package (checked by the import contract in `.importlinter`)."""
