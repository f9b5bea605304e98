#!/usr/bin/env bash
# Set up everything MakerRoom needs on a fresh Debian machine with Python 3.11:
# system packages, the virtualenv, Python and Node dependencies, translations and the database.
#   scripts/setup.sh          for running the site
#   scripts/setup.sh --test   also what the test suite needs (headless Chromium, MicroPython runtime)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1;33m==> %s\033[0m\n' "$*"; }

# System packages: gettext (compilemessages), a CJK font (PDFs, screenshots), Chromium for browser tests.
packages=()
command -v msgfmt >/dev/null || packages+=(gettext)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || packages+=(fonts-noto-cjk)
# reportlab embeds only TrueType-outline fonts (Noto CJK is CFF): festival certificates use WenQuanYi.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || packages+=(fonts-wqy-microhei)
if [ "$want_test" = 1 ]; then
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  command -v redis-server >/dev/null || packages+=(redis-server)
fi
if [ ${#packages[@]} -gt 0 ]; then
  say "Installing system packages: ${packages[*]}"
  if [ "$(id -u)" = 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  say "Creating .venv"
  python3 -m venv .venv
fi
[ -x .venv/bin/uv ] || .venv/bin/python -m pip install -q --disable-pip-version-check "uv==0.13.9"
say "Installing Python dependencies exactly as locked (uv.lock)"
# Exactly what uv.lock says, nothing more (packages not in it are removed): a fresh machine gets
# what CI tested. The dev extra includes the s3 extra. The site and the flashing tools
# (firmware/host, makerroom-flash) are editable, so `.venv/bin/makerroom-flash` runs the checkout's
# code. After changing dependencies in pyproject.toml run `.venv/bin/uv lock`.
UV_PROJECT_ENVIRONMENT=.venv .venv/bin/uv sync -q --frozen --extra dev --python .venv/bin/python

# The cache tests talk to a real Redis server (TEST_REDIS_URL, default redis://127.0.0.1:6379/15).
if [ "$want_test" = 1 ] && [ -z "${TEST_REDIS_URL:-}" ] && ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  say "Starting Redis on 127.0.0.1:6379"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --logfile /tmp/makerroom-redis.log
fi

# Node packages of components that need them (the MicroPython WebAssembly runtime, the lesson workbench,
# axe-core for the browser tests' accessibility checks).
for lock in $(find firmware courses tests -name package-lock.json -not -path '*/node_modules/*'); do
  dir=$(dirname "$lock")
  say "Installing Node packages in $dir"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
done

# The lesson workbench's bundles (editor, board, worker, MicroPython runtime) into
# courses/static/courses/workbench/, served by whitenoise: built here, not committed.
say "Building the lesson workbench"
(cd courses/workbench && npm run --silent build)

# MicroPython ESP32 type stubs for checking lessons with pyright: kept out of .venv on purpose
# (they shadow CPython modules such as `requests` and `time`).
if [ ! -d firmware/.stubs/micropython_esp32_stubs-1.29.0.post1.dist-info ]; then
  say "Installing MicroPython stubs into firmware/.stubs"
  .venv/bin/python -m pip install -q --disable-pip-version-check --target firmware/.stubs "micropython-esp32-stubs==1.29.0.post1"
fi

say "Compiling translations"
.venv/bin/python manage.py compilemessages --ignore ".venv/*" --ignore "node_modules/*" -v0
