"""The expected failures of the policy engine, each with a message a person can act on."""


class PolicyError(Exception):
    """Base of every error the policy engine raises on purpose."""


class PolicyFileError(PolicyError):
    """A policy data file is unreadable or breaks the rule language."""


class OverlayError(PolicyFileError):
    """A force overlay is invalid, or would weaken the national policy."""


class UnknownPolicyError(PolicyError, LookupError):
    """No policy has that name: it is neither "national" nor a force code."""


class PolicyInputError(PolicyError, ValueError):
    """An assessment's answers or context are not ones the policy understands."""


class UnknownRankError(PolicyError, ValueError):
    """A rank code that is not one of RANKS."""


class ChoiceError(PolicyError, ValueError):
    """The grade an officer chose cannot be recorded as it stands."""


class UnknownGradeError(ChoiceError):
    """A grade code that is not one of GRADES."""


class GradeForbiddenError(ChoiceError):
    """The chosen grade is below what the policy ever allows for this assessment."""


class NoApparentRiskForbiddenError(GradeForbiddenError):
    """"No apparent risk" chosen while a high-risk rule applies, or under a policy that never
    uses it for a child."""


class BelowPolicyMinimumError(GradeForbiddenError):
    """A grade below the lowest grade the policy ever uses for a child."""


class RationaleRequiredError(ChoiceError):
    """A grade below the recommendation was chosen without a written rationale."""


class PolicyMismatchError(ChoiceError):
    """The recommendation was made under a different policy from the one given."""
