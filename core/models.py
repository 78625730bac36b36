from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationSent(models.Model):
    """The outbox's memory: an e-mail already sent, by key, so that a retried task never sends it twice."""

    key = models.CharField(max_length=191, unique=True)
    recipient = models.CharField(max_length=254)
    date_sent = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Notification sent")

    def __str__(self):
        return self.key
