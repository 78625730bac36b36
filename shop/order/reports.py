"""Oscar's order report, whose CSV gave totals of EUR and MAD orders in one column with no currency:
each total now carries its currency and its MAD value at the rate the order recorded."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.reports import OrderReportCSVFormatter as OscarOrderReportCSVFormatter
from oscar.apps.order.reports import OrderReportGenerator as OscarOrderReportGenerator
from oscar.apps.order.reports import OrderReportHTMLFormatter

from core.money import amount_to_mad_expression


class OrderReportCSVFormatter(OscarOrderReportCSVFormatter):
    def generate_csv(self, response, orders):
        writer = self.get_csv_writer(response)
        writer.writerow(
            [
                _("Order number"),
                _("Name"),
                _("Email"),
                _("Total incl. tax"),
                _("Currency"),
                _("Total incl. tax (MAD)"),
                _("Date placed"),
            ]
        )
        in_mad = amount_to_mad_expression(F("total_incl_tax"))
        for order in orders.select_related("user").annotate(total_mad=in_mad):
            writer.writerow(
                [
                    order.number,
                    "-" if order.is_anonymous else order.user.get_full_name(),
                    order.email,
                    order.total_incl_tax,
                    order.currency,
                    order.total_mad,
                    self.format_datetime(order.date_placed),
                ]
            )


class OrderReportGenerator(OscarOrderReportGenerator):
    formatters = {"CSV_formatter": OrderReportCSVFormatter, "HTML_formatter": OrderReportHTMLFormatter}
