from . import points_withdrawal_request_wizard
from . import points_withdrawal_reject_wizard
from . import points_transfer_wizard
from . import points_withdrawal_payment_wizard
