from . import points_legacy_report
