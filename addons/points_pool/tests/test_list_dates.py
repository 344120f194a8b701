from lxml import etree

from odoo.tests import TransactionCase, tagged

#: Lists where the time of day matters: the order of the pool's events and of the queues its sequencer applies
#: (pool requests, chain events). OCA's tier reviews are its own list.
KEEP_TIME = {("points.ledger", "date"), ("points.pool.request", "create_date"),
             ("points.pool.request", "applied_at"), ("points.chain.event", "date"), ("tier.review", "reviewed_date")}


@tagged("post_install", "-at_install")
class TestListDates(TransactionCase):
    """Lists of the suite show a datetime as its date only: a Chinese date and time does not fit a column."""

    def list_datetime_columns(self, view):
        """(model, field, options) of each datetime column of each list in ``view`` (inline lists included)."""
        arch = etree.fromstring(self.env[view.model].get_view(view.id, view.type)["arch"])
        for table in arch.iter("list"):
            model = view.model
            for parent in reversed(list(table.iterancestors("field"))):
                model = self.env[model]._fields[parent.get("name")].comodel_name
            for column in table.iter("field"):
                if next(column.iterancestors("list")) is not table:
                    continue
                field = self.env[model]._fields.get(column.get("name"))
                if field is not None and field.type == "datetime":
                    yield model, field.name, column.get("options") or ""

    def test_datetime_columns_show_the_date_only(self):
        views = self.env["ir.ui.view"].search([("type", "in", ("list", "form")), ("mode", "=", "primary")])
        checked = 0
        for view in views.filtered(lambda view: (view.xml_id or "").startswith("points_")):
            for model, name, options in self.list_datetime_columns(view):
                if (model, name) in KEEP_TIME:
                    continue
                checked += 1
                with self.subTest(view=view.xml_id, column=f"{model}.{name}"):
                    self.assertIn("'show_time': false", options.replace('"', "'"))
        self.assertGreater(checked, 5)
