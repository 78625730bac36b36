from oscar.apps.customer.views import LogoutView as OscarLogoutView


class LogoutView(OscarLogoutView):
    """Oscar's logout at the same address (`customer:logout`), by POST only: a link or an image on
    another site cannot sign a customer out. GET answers 405."""

    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
