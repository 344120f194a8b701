from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls, endpoint):
        """Routes of the member API and portal list the parameters their handlers take (routing key
        ``points_params``): no other query or form parameter reaches them, so a parameter named like an
        argument of the handler (``self``, ``service``, ``body``...) cannot break the call."""
        accepted = endpoint.routing.get("points_params")
        if accepted is not None:
            request.params = {name: value for name, value in request.params.items() if name in accepted}
        return super()._dispatch(endpoint)
