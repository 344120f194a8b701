from . import points_member_service
