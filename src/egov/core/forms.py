"""What every form of the platform shares."""

from django import forms


class Form(forms.Form):
    """Labels without Django's trailing colon, like the platform's other forms."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
