import json

import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import ALL_CHECKS

from odoo.tests import tagged
from odoo.tools.misc import file_open

from .common import PortalHttpCase

#: Examples per operation and the fixed seed: the same calls on every run.
MAX_EXAMPLES = 25
SEED = 20260301


@tagged("post_install", "-at_install")
class TestApiSchemathesis(PortalHttpCase):
    """Schemathesis calls every operation of openapi.json on the test server with generated valid input and
    runs all its checks: never a server error, only documented status codes and content types, bodies that
    match the documented schemas, no call accepted without the token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_chain()  # the chain answers carry a state to check

    def test_every_operation_keeps_its_openapi_document(self):
        self.pool.api_rate_limit = 0
        self.pool.transfer_enabled = True
        self.env["ir.config_parameter"].sudo().set_param("points_portal.api_auth_failure_limit", 0)
        with file_open("points_portal/static/api/openapi.json") as document:
            spec = json.load(document)
        schema = schemathesis.from_dict(spec, base_url=f"{self.base_url()}/points/api/v1")
        headers = {"Authorization": f"Bearer {self.token_a}"}
        failures, calls = {}, []
        operations = [result.ok() for result in schema.get_all_operations()]
        self.assertEqual(len(operations), len([1 for ops in spec["paths"].values() for _op in ops]))
        for operation in operations:

            @seed(SEED)
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=False,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy())
            def run(case):
                # On the case, so that the ignored_auth check can call again without it.
                case.headers = {**(case.headers or {}), **headers}
                response = case.call(timeout=60)
                calls.append(response.status_code)
                case.validate_response(response, checks=ALL_CHECKS)

            try:
                run()
            except Exception as error:  # noqa: BLE001 (every operation is checked, then all failures reported)
                failures[operation.verbose_name] = str(error)[:3000]
        self.maxDiff = None
        self.assertEqual(list(failures), [], "\n\n".join(f"{name}:\n{error}" for name, error in failures.items()))
        self.assertNotIn(500, calls)
        self.assertGreater(len(calls), len(operations) * 5, "schemathesis made calls for every operation")
