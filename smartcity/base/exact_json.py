"""JSON fixtures that keep what Django's ``json`` format rounds off.

Django's ``DjangoJSONEncoder`` writes times to the millisecond
(ECMA-262); a backup must give back the microseconds. This format (name
``exact_json``, registered in ``SERIALIZATION_MODULES``) writes the full
ISO 8601 value; files it writes are ordinary JSON fixtures, read back by
the standard ``json`` deserializer (``loaddata backup.json``).
"""

import datetime

from django.core.serializers.json import Deserializer as Deserializer
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
