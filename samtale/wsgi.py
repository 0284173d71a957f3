import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtale.settings")
application = get_wsgi_application()

# Import every view now, then move everything loaded so far out of the garbage collector's reach:
# the oldest generation's collections otherwise walk all of Django, the models and the templates
# every so often, which took a request at 50,000 people from 55 ms to 120 ms (bench/overview.py).
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and its views)
gc.collect()
gc.freeze()
