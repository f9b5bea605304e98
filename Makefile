# The two commands of the README. Both work on a fresh machine: they set everything up first.
PY := .venv/bin/python

.PHONY: demo worker test setup setup-test lint messages

## Set up, migrate, load the Chinese demo content and serve the site on http://127.0.0.1:8000/
## with the task worker beside it (Ctrl+C stops both)
demo: setup
	scripts/demo.sh

## The task worker alone (jobs, Wagtail's index tasks, the schedule)
worker:
	$(PY) manage.py worker

## Set up (including Chromium and the MicroPython runtime) and run the whole test suite
test: setup-test
	.venv/bin/pytest -n auto

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

lint:
	.venv/bin/ruff check .

## Extract translatable strings into each app's locale/zh_Hans/django.po
messages:
	scripts/messages.sh
