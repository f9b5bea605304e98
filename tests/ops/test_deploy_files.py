"""The deployment files hold together (no Docker engine here: the compose file is checked as YAML,
and with `docker compose config` where Docker is installed), and setup installs from the lock."""

import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_has_web_worker_postgres_redis_and_an_s3_store(compose):
    services = compose["services"]
    assert {"web", "worker", "db", "redis", "s3"} <= set(services)
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
    web, worker = services["web"], services["worker"]
    assert web["image"] == worker["image"] == "makerroom:latest"
    assert worker["command"][:3] == ["python", "manage.py", "worker"]
    for service in (web, worker):
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["AWS_STORAGE_BUCKET_NAME"] and env["AWS_S3_ENDPOINT_URL"] == "http://s3:9000"
        assert "SECRET_KEY" in env
    assert "volumes" in services["db"] and "volumes" in services["s3"]


def _docker_compose():
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _docker_compose(), reason="Docker Compose is not installed here")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(
        ["docker", "compose", "-f", "compose.yaml", "config", "-q"],
        cwd=ROOT,
        env={"SECRET_KEY": "x", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_image_runs_unprivileged_with_translations_fonts_and_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)", dockerfile, re.M)
    assert users and users[-1] not in ("root", "0")
    for needed in ("uv sync --frozen", "compilemessages", "collectstatic", "fonts-wqy-microhei", "gettext"):
        assert needed in dockerfile


def test_the_image_builds_the_javascript_it_serves():
    """The workbench, the full-flash bundle and the batch flashing page are built in the image's
    node stage from the locked npm packages; every file it copies over is one the build makes."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "npm ci" in dockerfile and "node build.mjs" in dockerfile
    for source in re.findall(
        r"^COPY (?!--from)(\S+(?: \S+)*) \S+$", dockerfile.split("FROM python")[0], re.M
    ):
        for path in source.split():
            assert (ROOT / path).exists(), f"the node stage copies {path}, which is not in the repository"
    copied = re.findall(r"^COPY --from=assets /src/(\S+) \S+$", dockerfile, re.M)
    build = (ROOT / "courses/workbench/build.mjs").read_text(encoding="utf-8")
    assert copied and "flasher.js" in build and "batch.js" in build
    for path in copied:
        assert (ROOT / path).exists(), (
            f"{path} is not what the workbench build makes (scripts/setup.sh builds it)"
        )


def test_setup_installs_exactly_from_the_lock_file():
    setup = (ROOT / "scripts/setup.sh").read_text(encoding="utf-8")
    assert "uv sync" in setup and "--frozen" in setup
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    locked = {package["name"] for package in lock["package"]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + [
        d for extra in project["optional-dependencies"].values() for d in extra
    ]
    for requirement in wanted:
        name = re.split(r"[\[=<>!~ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in locked, f"{name} is not in uv.lock: run .venv/bin/uv lock"


def _default(value):
    """The default of a compose value like ${NAME:-default}, or the value itself."""
    match = re.fullmatch(r"\$\{\w+:-(.*)\}", value)
    return match.group(1) if match else value


def test_browsers_are_sent_to_the_store_s_published_address_not_the_internal_one(compose):
    """Signed photo URLs are signed for AWS_S3_PUBLIC_ENDPOINT_URL: the s3 service's published port,
    allowed by the CSP, never http://s3:9000 (a name only the compose network resolves)."""
    services = compose["services"]
    published = {port.split(":")[0] for port in services["s3"]["ports"]}
    for name in ("web", "worker"):
        env = services[name]["environment"]
        public = urlsplit(_default(env["AWS_S3_PUBLIC_ENDPOINT_URL"]))
        assert public.scheme in ("http", "https") and public.hostname not in (
            "s3",
            urlsplit(env["AWS_S3_ENDPOINT_URL"]).hostname,
        )
        assert str(public.port) in published
        assert f"{public.scheme}://{public.netloc}" in _default(env["MEDIA_ORIGINS"]).split(",")
        assert "AWS_S3_CUSTOM_DOMAIN" not in env  # production refuses it (unsigned URLs: 403)


def test_every_variable_compose_sets_for_the_site_is_in_the_deploy_guide(compose):
    guide = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    for name in compose["services"]["web"]["environment"]:
        assert f"`{name}`" in guide or f"`{name}=" in guide, f"docs/deploy.md does not describe {name}"


def test_the_deploy_guide_describes_the_compose_setup(compose):
    guide = (ROOT / "docs/deploy.md").read_text(encoding="utf-8")
    for service in compose["services"]:
        assert f"`{service}`" in guide, f"docs/deploy.md does not mention the {service} service"
    for topic in ("pg_dump", "pg_restore", "mc mirror", "REDIS_URL", "/healthz", "manage.py worker"):
        assert topic in guide
