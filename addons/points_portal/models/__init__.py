from . import (
    ir_http, points_api_idempotency, points_api_token, points_api_usage, points_member_service, points_pool,
    res_config_settings,
)
