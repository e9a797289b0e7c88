"""WTForms classes built from the questionnaire, one field per question.

The field class comes from :data:`FIELD_FOR` (question type to field class),
the labels from the questionnaire in the resident's language. The fields do
no validation of their own: answers are checked by
``Questionnaire.validate`` (the same rules as the API) and the messages are
put back on the fields in the resident's language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    Field,
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

try:  # WTForms 3.3 names choices with SelectChoice; older versions take (value, label) pairs.
    from wtforms import SelectChoice as _SelectChoice
except ImportError:  # pragma: no cover - WTForms < 3.3
    _SelectChoice = None

from .catalog import text

#: Prefix of a question's field name (keeps question ids clear of Form attributes).
FIELD_PREFIX = "q_"


class MultiCheckboxField(SelectMultipleField):
    """A multiple-choice field shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


#: The WTForms field class for each question type.
FIELD_FOR: Mapping[str, type[Field]] = {
    "single": RadioField,
    "multiple": MultiCheckboxField,
    "number": IntegerField,
    "text": StringField,
    "long_text": TextAreaField,
}


def option(value: str, label: Any) -> Any:
    """One choice of a select, radio or checkbox field."""
    return (value, label) if _SelectChoice is None else _SelectChoice(value, label)


def field_name(question_id: str) -> str:
    """The form field name of a question."""
    return FIELD_PREFIX + question_id


def _choice_kwargs(question: Any, language: str, default: str) -> dict[str, Any]:
    return {
        "choices": [option(c.code, text(c.label, language, default)) for c in question.choices],
        "validate_choice": False,
    }


#: Extra constructor arguments per question type.
_EXTRA_KWARGS: Mapping[str, Callable[[Any, str, str], dict[str, Any]]] = {
    "single": _choice_kwargs,
    "multiple": _choice_kwargs,
    "number": lambda question, language, default: {},
    "text": lambda question, language, default: {},
    "long_text": lambda question, language, default: {},
}


def make_field(question: Any, language: str, default_language: str) -> Field:
    """An unbound WTForms field for one question, labelled in ``language``."""
    try:
        field_class = FIELD_FOR[question.type]
    except KeyError:
        raise ValueError(
            f"question {question.id!r} has type {question.type!r}; "
            f"the form knows {', '.join(FIELD_FOR)}"
        ) from None
    label = text(question.text, language, default_language)
    extra = _EXTRA_KWARGS[question.type](question, language, default_language)
    return field_class(label, **extra)


def page_form(
    questionnaire: Any,
    questions: list[Any],
    language: str,
    *,
    formdata: Any = None,
    answers: Mapping[str, Any] | None = None,
) -> Form:
    """A form holding ``questions``; filled from ``formdata`` (a POST) or saved ``answers``."""

    class PageForm(Form):
        """The questions of one page."""

    for question in questions:
        setattr(
            PageForm,
            field_name(question.id),
            make_field(question, language, questionnaire.default_language),
        )
    data = {field_name(key): value for key, value in (answers or {}).items()}
    return PageForm(formdata=formdata, data=data)


#: How an interview is answered; the labels are shown in the staff language (``interviewer.py``).
ASSISTANCE_CODES = ("self", "read_aloud", "interpreter")


def consent_form(
    questionnaire: Any,
    language: str,
    *,
    ask_area: bool,
    interviewer: bool,
    formdata: Any = None,
) -> Form:
    """The consent form: the consent checkbox, and the area and assistance when asked."""

    class ConsentForm(Form):
        """Information and consent."""

        consent = BooleanField(
            text(questionnaire.consent.agree, language, questionnaire.default_language)
        )
        lang = HiddenField()
        mode = HiddenField()

    if ask_area:
        ConsentForm.area = SelectField(
            _l("Which housing area do you live in?"),
            choices=[option("", _l("Choose your area"))]
            + [option(a.id, a.label) for a in questionnaire.areas],
            validate_choice=False,
        )
    else:
        ConsentForm.area = HiddenField()
    if interviewer:
        # No default: the interviewer must choose (the labels come from interviewer.py).
        ConsentForm.assistance = RadioField(
            choices=[option(code, code) for code in ASSISTANCE_CODES],
            validate_choice=False,
        )
    return ConsentForm(formdata=formdata)
