from . import test_withdrawal
from . import test_transfer
from . import test_wallet_service_access
from . import test_wallet_service_forms
from . import test_reservations
from . import test_payees_tiers_batch
from . import test_ui_tours
from . import test_stored_texts_lang
