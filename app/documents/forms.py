"""The upload form: a camera photo or a file, a title and who may read it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from app.contacts.vocab import NoteLevel
from app.documents.vocab import TITLE_MAX
from app.forms import no_control_characters
from app.labels import choices_for

ACCEPT = "image/*,application/pdf"


class UploadForm(FlaskForm):
    file = FileField(
        _l("Photo or file"),
        render_kw={"accept": ACCEPT, "capture": "environment"},
        description=_l("Take a photo with the camera, or choose a PDF, JPEG or PNG file."),
    )
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=TITLE_MAX), no_control_characters],
        description=_l("For example: signed consent, letter from the OCMW. Empty: the file name."),
    )
    level = SelectField(_l("Who may read it"))
    submit = SubmitField(_l("Upload"))

    def __init__(self, *args, levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        members = [level for level in NoteLevel if levels is None or level in levels]
        self.level.choices = choices_for(NoteLevel, members)
        if not self.level.data:
            self.level.data = NoteLevel.TEAM.value
