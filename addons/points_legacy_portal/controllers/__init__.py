from . import portal, serializers
