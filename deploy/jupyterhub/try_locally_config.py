"""The throwaway local hub of try-locally.sh: jupyterhub_config.py, then local overrides.

Password-less sign-in (DummyAuthenticator: any password), single-user servers as local
processes of the current user with a home folder each, everything in ILC_HUB_TMP.
Never use this for real people.
"""

from __future__ import annotations

import os
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821
tmp = Path(os.environ["ILC_HUB_TMP"])
os.environ.setdefault("ILC_HUB_COOKIE_SECRET_FILE", str(tmp / "cookie_secret"))
os.environ.setdefault("ILC_HUB_DB_URL", f"sqlite:///{tmp / 'jupyterhub.sqlite'}")
os.environ["ILC_HUB_SIGN_IN"] = "custom"
load_subconfig(str(Path(__file__).parent / "jupyterhub_config.py"))  # type: ignore[name-defined]  # noqa: F821

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ['ILC_HUB_PORT']}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ['ILC_HUB_API_PORT']}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['ILC_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.pid_file = str(tmp / "proxy.pid")
c.JupyterHub.pid_file = str(tmp / "hub.pid")
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(tmp / "homes" / "{username}")
if os.geteuid() == 0:  # Jupyter Server refuses root unless told; a throwaway hub only
    c.Spawner.environment = {**c.Spawner.environment, "ILC_HUB_ALLOW_ROOT": "1"}
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
