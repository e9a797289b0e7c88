"""Questionnaires as data: the model, the loader, conditions and answer validation.

See ``questionnaires/README.md`` for the YAML format.
"""

from .conditions import evaluate, is_answered
from .loader import available, check, load, loads
from .model import Area, Choice, Consent, Language, Page, Question, Questionnaire
from .problems import Problem, QuestionnaireError
from .validation import ValidationMessage

__all__ = [
    "Area",
    "Choice",
    "Consent",
    "Language",
    "Page",
    "Problem",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "ValidationMessage",
    "available",
    "check",
    "evaluate",
    "is_answered",
    "load",
    "loads",
]
