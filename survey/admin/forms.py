"""Forms of the staff pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import UUID, AnyOf, DataRequired, Length

from ..auth.language import STAFF_LANGUAGES
from ..devices import MAX_NAME_LENGTH


class DeleteResponseForm(FlaskForm):
    """Delete one response by id, with the reason recorded."""

    response_id = StringField(
        _l("Response id"),
        validators=[
            DataRequired(message=_l("Enter the response id.")),
            UUID(message=_l("Enter a response id (a UUID).")),
        ],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(message=_l("Give the reason for the deletion.")),
            Length(max=1000),
        ],
    )
    confirm = BooleanField(default=False)
    submit = SubmitField(_l("Delete response"))


class ReceiptForm(FlaskForm):
    """Find a response by the receipt code its resident was given."""

    class Meta:
        csrf = False  # a GET search that changes nothing

    receipt = StringField(
        _l("Receipt code"),
        validators=[DataRequired(message=_l("Enter the receipt code.")), Length(max=40)],
    )


class InterviewForm(FlaskForm):
    """Choose the area and language of a new interview for one questionnaire."""

    area = RadioField(_l("Area"), invalid_choice_message=_l("Choose the area."))
    language = RadioField(_l("Language"), invalid_choice_message=_l("Choose the language."))
    submit = SubmitField(_l("Start interview"))


class StaffLanguageForm(FlaskForm):
    """Switch the staff pages to another language and return to the page at ``next``."""

    language = HiddenField(validators=[AnyOf(list(STAFF_LANGUAGES))])
    next = HiddenField(validators=[Length(max=2000)])


class IssueDeviceTokenForm(FlaskForm):
    """Issue a device token for one interviewer's tablet; the choices are set by the view."""

    username = SelectField(
        _l("Interviewer"),
        choices=[],
        validators=[DataRequired(message=_l("Choose the interviewer."))],
    )
    name = StringField(
        _l("Device name"),
        validators=[
            DataRequired(message=_l("Give the device a name.")),
            Length(max=MAX_NAME_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )
    submit = SubmitField(_l("Issue token"))


class RevokeDeviceTokenForm(FlaskForm):
    """Revoke one device token; the first post asks for confirmation."""

    confirm = BooleanField(default=False)
    submit = SubmitField(_l("Revoke"))
