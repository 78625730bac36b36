"""Access rules for the platform's own entries in Oscar's staff dashboard menu.

Oscar's default rule looks the URL up among its own dashboard apps, which ours are not; the views
themselves check permissions through their selectors and services — this only hides the link.
"""


def platform_staff_only(user, url_name, url_args=None, url_kwargs=None) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff
