"""The one builder of the idempotency keys the suite stores (ledger rows, pool requests, point-of-sale syncs).

A key names what was processed, so that processing it again is a no-op: the event, then the records and
values it was made for, separated by colons; a record reads ``model,id``. The keys are stored: the key of
the same event for the same records must stay the same string release after release.
"""

from odoo import models


def idempotency_key(*parts):
    """``"event:model,id:…"`` of ``parts``: records (one each) as ``model,id``, anything else as its text."""
    return ":".join(_key_part(part) for part in parts)


def _key_part(part):
    if isinstance(part, models.BaseModel):
        part.ensure_one()
        return f"{part._name},{part.id}"
    return str(part)
