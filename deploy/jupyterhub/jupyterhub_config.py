"""JupyterHub configuration for the ILC Workbook Kit: district sign-in, Voilà for participants.

Run it with ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` in the environment where
the kit is installed (``pip install 'ilc-workbook-kit[hub]'``). Everything a district changes
is an environment variable (or an edit in the marked places below); README.md beside this
file walks through it.
"""

from __future__ import annotations

import os

from ilc_widgets.hub import configure_hub, email_from_claims

c = get_config()  # type: ignore[name-defined]  # noqa: F821

# ---------------------------------------------------------------- the network's data
# One PostgreSQL database for the whole network, for example
#   postgresql://ilc:PASSWORD@db.district.example.org/north_network
DATABASE_URL = os.environ.get("ILC_DATABASE_URL", "")

# Researchers who get JupyterLab besides the facilitators listed in the network's
# `facilitators` setting (comma-separated emails).
RESEARCHERS = [e for e in os.environ.get("ILC_HUB_RESEARCHERS", "").split(",") if e.strip()]

# Participants get the Voilà-only server; facilitators and researchers JupyterLab + Voilà;
# only people the network knows may sign in; ILC_DATABASE_URL reaches every server.
configure_hub(c, database_url=DATABASE_URL, researchers=RESEARCHERS)

# ---------------------------------------------------------------- where the hub listens
# Put TLS in front (a reverse proxy, or c.JupyterHub.ssl_cert / ssl_key).
c.JupyterHub.bind_url = os.environ.get("ILC_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.cookie_secret_file = os.environ.get(
    "ILC_HUB_COOKIE_SECRET_FILE", "/srv/jupyterhub/jupyterhub_cookie_secret"
)
c.JupyterHub.db_url = os.environ.get(
    "ILC_HUB_DB_URL", "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
)

# ---------------------------------------------------------------- sign-in
# User names are emails: the kit maps the email to the person's collective.
SIGN_IN = os.environ.get("ILC_HUB_SIGN_IN", "google")
CALLBACK_URL = os.environ.get("ILC_OAUTH_CALLBACK_URL", "")  # https://HOST/hub/oauth_callback

if SIGN_IN == "google":
    # Google Workspace: https://console.cloud.google.com/apis/credentials, an OAuth client
    # of type "Web application" with CALLBACK_URL as its authorized redirect URI.
    c.JupyterHub.authenticator_class = "google"
    c.GoogleOAuthenticator.client_id = os.environ.get("ILC_OAUTH_CLIENT_ID", "")
    c.GoogleOAuthenticator.client_secret = os.environ.get("ILC_OAUTH_CLIENT_SECRET", "")
    c.GoogleOAuthenticator.oauth_callback_url = CALLBACK_URL
    # Only accounts of these Workspace domains; keep the whole email as the user name.
    c.GoogleOAuthenticator.hosted_domain = [
        d for d in os.environ.get("ILC_OAUTH_DOMAINS", "").split(",") if d.strip()
    ]
    c.GoogleOAuthenticator.strip_domain = False
    c.GoogleOAuthenticator.allow_all = True  # the network decides (see configure_hub)
elif SIGN_IN == "entra":
    # Microsoft Entra ID: an app registration (Web platform) with CALLBACK_URL as redirect URI.
    c.JupyterHub.authenticator_class = "azuread"
    c.AzureAdOAuthenticator.tenant_id = os.environ.get("ILC_ENTRA_TENANT_ID", "")
    c.AzureAdOAuthenticator.client_id = os.environ.get("ILC_OAUTH_CLIENT_ID", "")
    c.AzureAdOAuthenticator.client_secret = os.environ.get("ILC_OAUTH_CLIENT_SECRET", "")
    c.AzureAdOAuthenticator.oauth_callback_url = CALLBACK_URL
    c.AzureAdOAuthenticator.scope = ["openid", "email", "profile"]
    c.AzureAdOAuthenticator.username_claim = email_from_claims  # email, else the sign-in name
    c.AzureAdOAuthenticator.allow_all = True  # one tenant; the network decides
else:
    # Any other authenticator that yields an email as the user name, e.g.
    #   c.JupyterHub.authenticator_class = "generic-oauth"  (with GenericOAuthenticator.*)
    # Set ILC_HUB_SIGN_IN=custom and configure it in a file loaded after this one.
    pass

# ---------------------------------------------------------------- single-user servers
# Local processes, one system user per person (LocalProcessSpawner) by default; on
# Kubernetes use Zero to JupyterHub (deploy/kubernetes/). Stop idle servers with
# jupyterhub-idle-culler (see README.md).
c.JupyterHub.allow_named_servers = False
