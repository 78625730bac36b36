from django.core.validators import MaxLengthValidator
from oscar.apps.catalogue.reviews.forms import ProductReviewForm as OscarProductReviewForm

REVIEW_BODY_MAX_LENGTH = 5000


class ProductReviewForm(OscarProductReviewForm):
    """Oscar's review form; the review text (a TextField, unbounded in the database) is capped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        body = self.fields["body"]
        body.max_length = REVIEW_BODY_MAX_LENGTH
        body.validators.append(MaxLengthValidator(REVIEW_BODY_MAX_LENGTH))
        body.widget.attrs["maxlength"] = str(REVIEW_BODY_MAX_LENGTH)
