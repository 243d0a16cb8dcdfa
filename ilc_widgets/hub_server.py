"""The single-user servers a JupyterHub spawns for the kit (see :mod:`ilc_widgets.hub`).

``python -m ilc_widgets.hub_server voila`` is the participants' server: Voilà as a standalone
app over the installed workbooks, signed in through the hub (JupyterHub's OAuth identity
provider), with the settings of ``workbooks/voila.json`` and the server hygiene of
``ilc serve`` (:mod:`ilc_widgets._voila_launch`: pages set the XSRF cookie, the access log
leaves out query strings, secrets are scrubbed from the log). It has no JupyterLab, no
terminals, no contents API and no kernels API beyond what a Voilà page uses: its kernels
accept only widget messages (comm messages and kernel info), never code to execute. Files
in the user's home (Jupyter or IPython configuration, kernel specs, user site-packages)
are ignored, so nothing left there can change what the server or its kernels run.

``python -m ilc_widgets.hub_server lab`` is the facilitators' and researchers' server:
``jupyterhub-singleuser`` (Jupyter Server with JupyterLab and the Voilà extension) over the
home folder, with a fresh copy of the workbooks in ``~/ilc-workbooks`` and the settings of
``voila.json`` translated for Jupyter Server.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from jupyterhub import __version__ as jupyterhub_version
from jupyterhub.singleuser.extension import JupyterHubIdentityProvider
from jupyterhub.utils import url_path_join
from tornado.web import RedirectHandler
from traitlets import default
from voila.app import Voila

from ._voila_launch import (
    KIT_TEMPLATE,
    _guard_logging,
    _with_xsrf_cookie,
    log_request,
    use_kit_templates,
)
from .hub import LAB_FOLDER, VOILA_DEFAULT_URL, voila_json_settings
from .serve import voila_arguments, workbooks_dir

if TYPE_CHECKING:
    from collections.abc import Sequence


class HubIdentityProvider(JupyterHubIdentityProvider):  # type: ignore[misc]
    """JupyterHub's OAuth sign-in for a standalone Voilà behind the hub.

    Voilà hands every identity provider a ``token`` (the hub's API token stands in for it)
    and mounts the provider's handlers without its base URL (the hub calls back to
    ``/user/<name>/oauth_callback``).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("token", None)
        super().__init__(**kwargs)

    def get_handlers(self) -> list[tuple[Any, ...]]:
        """The OAuth callback and logout handlers, under this server's prefix."""
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
        return [(url_path_join(prefix, path), *rest) for path, *rest in super().get_handlers()]


class HubVoila(Voila):  # type: ignore[misc]
    """Voilà over the workbooks, configured only by the kit (never by the user's home)."""

    @default("config_file_paths")
    def _kit_config_only(self) -> list[str]:
        return [str(workbooks_dir())]

    def init_settings(self) -> dict[str, Any]:
        """Voilà's settings, with the headers the hub expects from its servers."""
        settings: dict[str, Any] = super().init_settings()
        headers = settings.setdefault("headers", {})
        headers["X-JupyterHub-Version"] = jupyterhub_version
        headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        # The server keeps its hub token; the kernels it starts (from os.environ) do not.
        if not self.identity_provider.hub_auth.api_token:  # read now, before it goes
            raise RuntimeError("JUPYTERHUB_API_TOKEN is missing: run under JupyterHub")
        for name in ("JUPYTERHUB_API_TOKEN", "JPY_API_TOKEN"):
            os.environ.pop(name, None)
        return settings

    def init_handlers(self) -> list[Any]:
        """Voilà's handlers, and the server's root redirecting to the home workbook."""
        root = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
        target = url_path_join(root, os.environ.get("JUPYTERHUB_DEFAULT_URL", VOILA_DEFAULT_URL))
        pattern = re.escape(root.rstrip("/")) + "/?"
        handlers = [_with_xsrf_cookie(spec) for spec in super().init_handlers()]
        return [(pattern, RedirectHandler, {"url": target}), *handlers]


def _private_jupyter_dirs() -> None:
    """Point Jupyter, IPython, matplotlib and Python's user site away from the home folder."""
    private = tempfile.mkdtemp(prefix="ilc-voila-")
    atexit.register(shutil.rmtree, private, ignore_errors=True)
    for name, sub in (
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "matplotlib"),
    ):
        os.environ[name] = str(Path(private) / sub)
    for name in ("JUPYTER_CONFIG_PATH", "JUPYTER_PATH"):
        os.environ.pop(name, None)
    os.environ["PYTHONNOUSERSITE"] = "1"


def voila_argv(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Voilà's arguments for the participants' server, from the hub's environment."""
    service = urlparse(environ["JUPYTERHUB_SERVICE_URL"])
    folder = workbooks_dir()
    return [
        *voila_arguments(folder, port=service.port or 8888, host=service.hostname or ""),
        f"--Voila.base_url={environ.get('JUPYTERHUB_SERVICE_PREFIX', '/')}",
        "--Voila.port_retries=0",
        "--Voila.identity_provider_class=ilc_widgets.hub_server.HubIdentityProvider",
        "--Voila.authorizer_class=jupyterhub.singleuser.extension.JupyterHubAuthorizer",
    ]


def run_voila() -> None:
    """Serve the workbooks with Voilà only, signed in through the hub."""
    argv = voila_argv(os.environ)
    _private_jupyter_dirs()
    use_kit_templates()  # the kit's template (no CDN links), as under `ilc serve`
    os.chdir(workbooks_dir())
    app = HubVoila.instance()
    app.initialize(argv)
    # as under `ilc serve`: an access log without query strings, secrets scrubbed elsewhere
    app.tornado_settings = {**app.tornado_settings, "log_function": log_request}
    _guard_logging(app.log)
    app.start()


def sync_workbooks(source: Path, target: Path) -> None:
    """Copy the kit's workbooks (and voila.json) over ``target``, keeping other files."""
    target.mkdir(parents=True, exist_ok=True)
    for path in source.iterdir():
        if path.is_file() and path.suffix in (".ipynb", ".json"):
            shutil.copyfile(path, target / path.name)


def run_lab() -> None:
    """Run ``jupyterhub-singleuser`` (JupyterLab + Voilà) with the kit's settings."""
    source = workbooks_dir()
    sync_workbooks(source, Path.home() / LAB_FOLDER)
    settings = json.loads((source / "voila.json").read_text(encoding="utf-8"))
    config_dir = Path(tempfile.mkdtemp(prefix="ilc-lab-config-"))
    atexit.register(shutil.rmtree, config_dir, ignore_errors=True)
    config = voila_json_settings(settings)
    # Voilà pages with no request to another host: the kit's template (found on JUPYTER_PATH),
    # and no MathJax URL or configuration, so that they typeset with the MathJax bundled in
    # Voilà (as standalone Voilà does), not with MathJax from a CDN
    config.setdefault("VoilaConfiguration", {})["template"] = KIT_TEMPLATE
    config["ServerApp"]["tornado_settings"].update(mathjax_url=None, mathjax_config=None)
    use_kit_templates()
    if os.environ.get("ILC_HUB_ALLOW_ROOT") == "1":  # try-locally.sh run by root only
        config["ServerApp"]["allow_root"] = True
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config), encoding="utf-8")
    paths = [str(config_dir), *filter(None, os.environ.get("JUPYTER_CONFIG_PATH", "").split(":"))]
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    from jupyterhub.singleuser import main as singleuser_main

    singleuser_main([])


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ilc_widgets.hub_server voila|lab``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("voila", "lab"):
        print("usage: python -m ilc_widgets.hub_server voila|lab", file=sys.stderr)
        return 2
    if "JUPYTERHUB_SERVICE_URL" not in os.environ:
        print("ilc_widgets.hub_server runs under JupyterHub only", file=sys.stderr)
        return 2
    if args[0] == "voila":
        run_voila()
    else:
        run_lab()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
