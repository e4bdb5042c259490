"""The one place the application reads the clock. Domain code takes `now` as an argument
(house rule 5): views, API views, commands and jobs call `now()` here and pass it in."""

from django.utils import timezone


def now():
    return timezone.now()
