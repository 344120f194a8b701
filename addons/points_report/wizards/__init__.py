from . import points_statement_wizard
