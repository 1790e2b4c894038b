#!/usr/bin/env bash
# ruff on all Python, then the OCA checks (pylint-odoo and the XML/CSV/manifest
# hooks) on the addon.  Configuration: pyproject.toml, .pylintrc.
source "$(dirname "$0")/lib.sh"
ensure_lint_venv
cd "$ROOT"
LINT="$ROOT/.venv-lint/bin"
"$LINT/ruff" check .
"$LINT/ruff" format --check .
"$LINT/pylint" --rcfile=.pylintrc website_wallet
"$LINT/oca-checks-odoo-module" website_wallet
