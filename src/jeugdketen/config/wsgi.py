import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the settings) lives as long as the worker:
# freeze it out of the garbage collector's view, and collect young objects less often. A
# family page builds about a thousand model objects, and with the default threshold about
# one request in fifteen paid a full collection of 90-120 ms (docs/performance.md).
gc.freeze()
gc.set_threshold(50_000, 20, 20)
