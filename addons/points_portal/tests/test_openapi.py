import inspect
import json
import re

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_open

from odoo.addons.points_portal.controllers.api import API, PointsApi


@tagged("post_install", "-at_install")
class TestOpenApi(TransactionCase):
    def test_every_api_route_is_documented(self):
        with file_open("points_portal/static/api/openapi.json") as document:
            spec = json.load(document)
        documented = {(path, method.upper()) for path, operations in spec["paths"].items() for method in operations}
        routes = set()
        for _name, method in inspect.getmembers(PointsApi, inspect.isfunction):
            routing = getattr(method, "original_routing", None)
            if not routing:
                continue
            for route in routing["routes"]:
                path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.removeprefix(API))
                routes |= {(path, verb) for verb in routing["methods"]}
        self.assertEqual(len(routes), 23)
        self.assertEqual(routes - documented, set(), "routes missing from openapi.json")
        self.assertEqual(documented - routes, set(), "openapi.json documents routes that do not exist")

    def test_document_lists_every_error_code(self):
        with file_open("points_portal/static/api/openapi.json") as document:
            spec = json.load(document)
        codes = set(spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"])
        with file_open("points_portal/controllers/api.py") as source:
            used = set(re.findall(r'"(\w+)", _\(', source.read()))
        for module in ("points_member_service", "points_input"):
            with file_open(f"points_portal/models/{module}.py") as source:
                used |= set(re.findall(r'MemberError\("(\w+)"', source.read()))
        # The refusals of the modules owning the rules keep their code in the API (points_member_service.refusals).
        for path in ("points_pool/models/points_wallet.py", "points_pool/models/points_pool.py",
                     "points_withdrawal/models/points_withdrawal.py", "points_withdrawal/models/points_transfer.py"):
            with file_open(path) as source:
                used |= set(re.findall(r'refusal\("(\w+)"', source.read()))
        self.assertLessEqual({"wallet_blocked", "insufficient_points", "insufficient_cash", "sale_too_small",
                              "transfers_disabled"}, used, "the owning modules' codes are found")
        used |= {"invalid_input", "forbidden", "not_found", "operation_refused", "internal_error"}
        self.assertEqual(used - codes, set())
