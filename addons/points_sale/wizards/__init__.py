from . import points_invoice_redeem_wizard
