# Shared setup for scripts/run.sh and scripts/test.sh. Source it; do not run it.
# Every step is idempotent: a second call only checks and returns.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-$HOME/.cache/odoo-18.0}"
VENV="$ROOT/.venv"
STATE="$ROOT/.state"
PY="$VENV/bin/python"
DEBIAN_PACKAGES=(postgresql chromium wkhtmltopdf libpq-dev libldap2-dev libsasl2-dev fonts-dejavu-core)

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

check_odoo_src() {
    local release="$ODOO_SRC/odoo/release.py"
    if [ ! -f "$release" ] || ! grep -qE '^version_info = \(18, 0,' "$release"; then
        die "no Odoo 18.0 source at $ODOO_SRC: unpack Odoo 18.0 there or set ODOO_SRC (see README, Prerequisite)"
    fi
}

ensure_debian_packages() {
    local missing=() pkg
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

ensure_venv() {
    mkdir -p "$STATE"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    local stamp="$STATE/venv.stamp" digest
    digest="$(cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt" "$ROOT/scripts/odoo_requirements.py" | sha256sum | cut -d' ' -f1)"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && return
    say "installing Python packages into $VENV"
    quiet_pip install --upgrade pip packaging
    "$PY" "$ROOT/scripts/odoo_requirements.py" "$ODOO_SRC/requirements.txt" > "$STATE/odoo-requirements.txt"
    quiet_pip install -r "$STATE/odoo-requirements.txt" -r "$ROOT/requirements.txt"
    echo "$digest" > "$stamp"
}

ensure_lint_venv() {
    local lint="$ROOT/.venv-lint" stamp="$STATE/lint.stamp" digest
    mkdir -p "$STATE"
    [ -x "$lint/bin/python" ] || python3 -m venv "$lint"
    digest="$(sha256sum "$ROOT/requirements-lint.txt" | cut -d' ' -f1)"
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$digest" ] && return
    say "installing lint tools into $lint"
    PY="$lint/bin/python" quiet_pip install -r "$ROOT/requirements-lint.txt"
    echo "$digest" > "$stamp"
}

# PostgreSQL: a server named by the standard PG* variables is used as it is.
# Otherwise a private cluster lives in .pgdata, reachable only via its socket.
ensure_postgres() {
    if [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}" ]; then
        pg_isready -q || die "the PostgreSQL server given by PGHOST/PGPORT/PGUSER does not answer"
        return
    fi
    local bindir data="$ROOT/.pgdata" socket
    bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    socket="$data/socket"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in $data"
        mkdir -p "$data"
        pg_as_owner "$data" "$bindir/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
        mkdir -p "$socket"
        chown --reference="$data" "$socket"
        cat >> "$data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$socket'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
    fi
    if ! pg_as_owner "$data" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        pg_as_owner "$data" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null
    fi
    export PGHOST="$socket" PGPORT=5432 PGUSER=odoo
    if ! psql -U postgres -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'odoo'" | grep -q 1; then
        psql -q -U postgres -d postgres -c "CREATE ROLE odoo LOGIN SUPERUSER"
    fi
}

# initdb and the server refuse to run as root: as root they run as 'postgres'.
pg_as_owner() {
    local data="$1"; shift
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$data"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

odoo_config() {
    local config="$STATE/odoo.conf"
    cat > "$config" <<EOF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ROOT
data_dir = $STATE/filestore
db_host = ${PGHOST:-}
db_port = ${PGPORT:-5432}
db_user = ${PGUSER:-odoo}
db_password = ${PGPASSWORD:-False}
admin_passwd = admin
without_demo = False
EOF
    echo "$config"
}

odoo() {
    "$PY" "$ODOO_SRC/setup/odoo" -c "$ODOO_CONFIG" "$@"
}

quiet_pip() {
    # Some machines list local package folders that do not exist: pip warns
    # about each one.  Hide only those lines.
    env -u PYTHONPATH "$PY" -m pip -q "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

# Install or update modules; fail when Odoo logs an error, since odoo-bin
# itself may exit 0 after a failed module load.
odoo_init() {
    local log status=0
    log="$(mktemp "$STATE/odoo-init.XXXXXX.log")"  # two may run side by side
    odoo "$@" --stop-after-init --log-level=warn 2>&1 | tee "$log" >&2
    grep -qE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$log" && status=1
    rm -f "$log"
    [ "$status" -eq 0 ] || die "Odoo logged errors while loading modules (see above)"
}

# run.sh updates a database whose addon files changed since this stamp.
addon_digest() {
    find "$ROOT/website_wallet" -type f -not -name '*.pyc' -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
db_stamp() { echo "$STATE/db-$1.stamp"; }
mark_db_current() { addon_digest > "$(db_stamp "$1")"; }

db_exists() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

setup_all() {
    check_odoo_src
    ensure_debian_packages
    ensure_venv
    ensure_postgres
    ODOO_CONFIG="$(odoo_config)"
    # Odoo is used from its source tree, never copied into the project.
    PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
    export ODOO_CONFIG PYTHONPATH
}
