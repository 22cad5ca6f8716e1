"""The app's configuration, read once at start-up from the environment.

Secrets may come as files (Docker/compose `secrets:` mounted under /run/secrets): `NAME_FILE=/path` wins over
`NAME=value`, so a platform can pass keys without them showing in `docker inspect` or /proc/1/environ. A `*_FILE`
that cannot be read stops the start with an error naming the variable and the path, never a silent empty key. An
empty file is an error only for a secret the configuration needs (the admin key always; the OpenAI key with
LLM_PROVIDER=openai): the shipped compose file mounts /dev/null for an OpenAI key nobody set, as `NAME=` would.

The port: `PORT` when the platform sets one (Railway, Cloud Run and Heroku do), else `APP_PORT`, else 8000.
"""

import os
from dataclasses import dataclass
from pathlib import Path

SECRETS = ("OPENAI_API_KEY", "ADMIN_REINGEST_KEY")


class SettingsError(Exception):
    """A configuration the app cannot start with; the message names the variable and the fix."""


@dataclass(frozen=True)
class Settings:
    port: int
    ollama_url: str
    model: str
    embedding_model: str
    data_dir: Path
    public_url: str
    environment: str
    openai_api_key: str
    admin_reingest_key: str


def read_secret(name, environ, needed=True):
    """The value of secret `name`: from the file `name_FILE` points to when it is set, else from `name` itself.

    An empty file stands for an unset secret when it is not `needed`, and is an error when it is.
    """
    file_var = f"{name}_FILE"
    path = environ.get(file_var, "")
    if not path:
        return environ.get(name, "")
    try:
        value = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(
            f"{file_var} is {path}, but there is no such file. Fix: mount the secret at that path "
            f"(compose `secrets:` puts it under /run/secrets/), or unset {file_var} to read {name} instead."
        ) from None
    except PermissionError:
        raise SettingsError(
            f"{file_var} is {path}, but uid {os.getuid()} may not read it. Fix: make the file readable by the app's "
            "user (compose long-syntax secrets take uid, gid and mode)."
        ) from None
    except (IsADirectoryError, UnicodeDecodeError, OSError) as error:
        raise SettingsError(f"{file_var} is {path}, which cannot be read as a text file ({type(error).__name__}). Fix: point it at the secret's file.") from None
    # Files written with echo or an editor end in a newline that is not part of the key.
    value = value.rstrip("\r\n")
    if not value and needed:
        raise SettingsError(f"{file_var} is {path}, which is empty. Fix: write the secret's value into that file.")
    return value


def port_from(environ):
    """PORT (set by PaaS platforms) wins over APP_PORT; an empty PORT counts as unset."""
    name = "PORT" if environ.get("PORT") else "APP_PORT"
    raw = environ.get(name, "8000")
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingsError(f'{name} is "{raw}", expected an integer from 1 to 65535. Fix: set {name} to a free port.')
    return int(raw)


def load_settings(environ=None):
    """Every setting, or SettingsError for the first one that is wrong."""
    env = os.environ if environ is None else environ
    port = port_from(env)
    return Settings(
        port=port,
        ollama_url=env.get("OLLAMA_BASE_URL", "http://ollama:11434").rstrip("/"),
        model=env.get("OLLAMA_MODEL", "tinyllama"),
        embedding_model=env.get("OLLAMA_EMBEDDING_MODEL", "nomic-embed-text"),
        data_dir=Path(env.get("DATA_DIR", "/app/data")),
        public_url=(env.get("APP_PUBLIC_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
        environment=env.get("ENVIRONMENT", "production"),
        openai_api_key=read_secret("OPENAI_API_KEY", env, needed=env.get("LLM_PROVIDER", "ollama") == "openai"),
        admin_reingest_key=read_secret("ADMIN_REINGEST_KEY", env),
    )
