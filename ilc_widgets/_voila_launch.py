"""Start Voilà for ``ilc serve`` with the server settings that JSON cannot hold.

``python -m ilc_widgets._voila_launch ARGS`` takes Voilà's own arguments. It sets Tornado's
``log_function`` so that the access log names each request by its path only: a link's
query string carries its key, and every 4xx request (a mistyped or tampered link) would
otherwise be logged with it. Every other record of the server goes through a filter that
blanks the values of ``key``, ``token`` and ``_xsrf`` parameters, whatever logged them.

XSRF checking stays on (``workbooks/voila.json`` does not disable it). Voilà's only POST
from the page is the kernel shutdown it sends when a tab closes, with the ``_xsrf`` cookie's
value as its form field; Voilà's page handler never sets that cookie, so the launcher's
handler for workbook pages does (as Jupyter Server's own pages do).

Pages use the kit's Voilà template ``ilc`` (in ``ilc_widgets/_jupyter_data``, a Jupyter data
folder put first on ``JUPYTER_PATH``): Voilà's ``lab`` template without its links to a CDN, so
every stylesheet, script, icon and font comes from the kit's own server.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import MutableMapping, Sequence

access_log = logging.getLogger("tornado.access")

# A query-string parameter whose name ends in "key" or is a token, and its value.
_SECRET_PARAM = re.compile(r"(?i)\b([\w.-]*(?:key|token|xsrf)=)[^&\s'\"<>]*")
LOG_FORMAT = "[%(levelname).1s %(asctime)s %(name)s] %(message)s"

KIT_TEMPLATE = "ilc"  # voila/templates/ilc in JUPYTER_DATA
POOLS_ENV = "ILC_KERNEL_POOLS"
"""Settings of Voilà's kernel manager as JSON (``kernel_pools_config``: warm kernels per
workbook; ``fill_delay``), set by ``ilc serve --ready``."""
READY_PATH = "/ilc/ready"
"""Where the server says, as JSON, how many warm kernels each workbook has and wants."""
JUPYTER_DATA = Path(__file__).resolve().parent / "_jupyter_data"


def use_kit_templates(environ: MutableMapping[str, str] = os.environ) -> None:
    """Put the kit's Jupyter data folder (its Voilà template) first on ``JUPYTER_PATH``.

    Voilà finds a template by name in the Jupyter data folders, when it starts and again for
    each of the template's static files, so the server's own environment must name the folder.
    """
    paths = [p for p in environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    folder = str(JUPYTER_DATA)
    environ["JUPYTER_PATH"] = os.pathsep.join([folder, *(p for p in paths if p != folder)])


def scrub(text: str) -> str:
    """``text`` with the values of key/token/_xsrf parameters replaced by ``[secret]``."""
    return _SECRET_PARAM.sub(r"\1[secret]", text)


def log_request(handler: Any) -> None:
    """Tornado's access log line without the query string (successes at debug level)."""
    status = int(handler.get_status())
    request = handler.request
    if status < 300 or status == 304:
        level = logging.DEBUG
    elif status < 400:
        level = logging.INFO
    elif status < 500:
        level = logging.WARNING
    else:
        level = logging.ERROR
    if not access_log.isEnabledFor(level):
        return
    access_log.log(
        level,
        "%d %s %s (%s) %.2fms",
        status,
        request.method,
        request.path,
        request.remote_ip,
        1000.0 * request.request_time(),
    )


class ScrubSecrets(logging.Filter):
    """Rewrites a record's message so that no key, token or XSRF value is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub the formatted message (and any exception text); always lets it through."""
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


def _guard_logging(app_log: logging.Logger) -> None:
    """Scrub every handler's output: the app's own, and a root one for Tornado's loggers."""
    scrubber = ScrubSecrets()
    for handler in app_log.handlers:
        handler.addFilter(scrubber)
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(scrubber)
    root.addHandler(handler)
    logging.lastResort = handler


def _with_xsrf_cookie(spec: Any) -> Any:
    """A handler spec whose workbook pages set the ``_xsrf`` cookie (others unchanged)."""
    from voila.handler import VoilaHandler

    if not isinstance(spec, tuple) or len(spec) < 2:
        return spec
    handler = spec[1]
    if not (isinstance(handler, type) and issubclass(handler, VoilaHandler)):
        return spec

    class XsrfCookieHandler(handler):  # type: ignore[misc, valid-type]
        """Voilà's page handler, also setting the cookie the page's POSTs send back."""

        async def prepare(self, *args: Any, **kwargs: Any) -> None:
            await super().prepare(*args, **kwargs)
            _ = self.xsrf_token  # tornado sets the _xsrf cookie when the token is read

    XsrfCookieHandler.__name__ = XsrfCookieHandler.__qualname__ = f"Kit{handler.__name__}"
    return (spec[0], XsrfCookieHandler, *spec[2:])


def ready_counts(kernel_manager: Any) -> dict[str, dict[str, int]]:
    """``{notebook: {"ready": warm kernels, "target": pool size}}`` of Voilà's kernel pools.

    A kernel counts as ready once it has started (it goes on running the workbook's first
    cells, up to where the workbook waits for the page's link). Empty when kernels are not
    preheated.
    """
    pools = getattr(kernel_manager, "_pools", None)
    config = getattr(kernel_manager, "kernel_pools_config", None)
    if not isinstance(pools, dict) or not isinstance(config, dict):
        return {}
    default = int(config.get("default", {}).get("pool_size", 0))
    counts = {}
    for notebook, pool in sorted(pools.items()):
        ready = sum(
            1 for task in pool if task.done() and not task.cancelled() and not task.exception()
        )
        target = int(config.get(notebook, {}).get("pool_size", default))
        counts[str(notebook)] = {"ready": ready, "target": target}
    return counts


def _ready_handler() -> type:
    """A Tornado handler answering :data:`READY_PATH` with :func:`ready_counts` (counts only)."""
    from tornado.web import RequestHandler

    class ReadyHandler(RequestHandler):
        """Warm kernels per workbook, for ``ilc serve`` and the facilitator's home page."""

        def get(self) -> None:
            self.set_header("Content-Type", "application/json")
            self.set_header("Cache-Control", "no-store")
            self.finish(json.dumps(ready_counts(self.settings.get("kernel_manager"))))

    return ReadyHandler


def main(argv: Sequence[str] | None = None) -> None:
    """Run Voilà with ``argv`` (default: the command line) and the kit's server settings."""
    from traitlets.config import Config
    from voila.app import Voila

    class KitVoila(Voila):  # type: ignore[misc]
        """Voilà whose pages set the XSRF cookie, and which says how many kernels are warm."""

        def init_handlers(self) -> list[Any]:
            from jupyter_server.utils import url_path_join

            ready = (url_path_join(self.server_url or self.base_url, READY_PATH), _ready_handler())
            return [ready, *(_with_xsrf_cookie(spec) for spec in super().init_handlers())]

    use_kit_templates()
    app = KitVoila.instance()
    pools = os.environ.pop(POOLS_ENV, "")
    if pools:  # a dict on the command line is deprecated in traitlets 5
        app.update_config(Config({"VoilaKernelManager": json.loads(pools)}))
    app.initialize(list(sys.argv[1:] if argv is None else argv))
    app.tornado_settings = {**app.tornado_settings, "log_function": log_request}
    _guard_logging(app.log)
    app.start()


if __name__ == "__main__":  # pragma: no cover - run by ilc serve
    main()
