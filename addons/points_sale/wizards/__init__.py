from . import points_invoice_pay_mixin
from . import points_invoice_redeem_wizard
