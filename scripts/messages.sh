#!/usr/bin/env bash
# Extract translatable strings into each component's own locale/ folder (zh_Hans; English is the
# source language). Run after changing user-facing strings, then translate the new entries.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
# courses/classes keeps its own catalogue, so the courses run skips it.
for dir in site courses courses/classes festival kits firmware; do
  mkdir -p "$dir/locale"
  (cd "$dir" && "$root/.venv/bin/python" "$root/manage.py" makemessages -l zh_Hans --no-location --ignore 'lessons/*' --ignore 'node_modules/*' --ignore 'classes/*' --ignore 'host/*' -v0)
done
# The flashing tools (firmware/host, no Django) keep their own catalogue, read with stdlib gettext.
host=firmware/host/makerroom_flash
po="$host/locale/zh_Hans/LC_MESSAGES/makerroom_flash.po"
xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=gettext --no-location \
  --package-name=makerroom-flash -o "$host/makerroom_flash.pot" "$host"/*.py
msgmerge --quiet --update --backup=none --no-location "$po" "$host/makerroom_flash.pot"
rm "$host/makerroom_flash.pot"
