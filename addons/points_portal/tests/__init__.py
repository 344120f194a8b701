from . import (
    test_access_rpc,
    test_api_http,
    test_api_input,
    test_api_schemathesis,
    test_api_token,
    test_chain_portal,
    test_member_service,
    test_openapi,
    test_payees,
    test_portal_http,
    test_rpc_walk,
    test_ui_tours,
)
from . import test_rebate_portal
