import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeugdketen.config.settings")
application = get_wsgi_application()

# The platform refuses to serve on the BRP stand-in in production settings (also when run
# by a WSGI server directly, which runs no system checks).
from jeugdketen.brp.checks import problems  # noqa: E402

for _problem in problems():
    raise RuntimeError(f"{_problem.id}: {_problem.msg} {_problem.hint}")

# Everything loaded so far (Django, the apps, the settings) lives as long as the worker:
# freeze it out of the garbage collector's view, and collect young objects less often. A
# family page builds about a thousand model objects, and with the default threshold about
# one request in fifteen paid a full collection of 90-120 ms (docs/performance.md).
gc.freeze()
gc.set_threshold(50_000, 20, 20)
