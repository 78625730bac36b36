from django.core.validators import MaxLengthValidator
from oscar.apps.catalogue.reviews.forms import ProductReviewForm as OscarProductReviewForm

REVIEW_BODY_MAX_LENGTH = 5000


def _score_as_number(value):
    """Oscar's form template rounds the score for its stars: a re-shown form must give it a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ProductReviewForm(OscarProductReviewForm):
    """Oscar's review form; the review text (a TextField, unbounded in the database) is capped, and an
    invalid form is shown again instead of failing on the posted score (a string)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.max_length = REVIEW_BODY_MAX_LENGTH
        body.validators.append(MaxLengthValidator(REVIEW_BODY_MAX_LENGTH))
        body.widget.attrs["maxlength"] = str(REVIEW_BODY_MAX_LENGTH)
        self.fields["score"].prepare_value = _score_as_number
