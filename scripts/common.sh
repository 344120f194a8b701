# Shared set-up steps for scripts/setup.sh (run the product) and scripts/test.sh
# (run every test). Sourced, not executed. Every step is idempotent: it checks
# first and only installs or starts what is missing.
#
# Variables (all optional):
#   ODOO_SRC   Odoo 18.0 source: a local tree or a URL of a tar.gz archive
#              (default: the official 18.0 branch archive). Ignored when
#              `import odoo` already works in the virtualenv.
#   VENV       virtualenv directory (default: ~/.cache/points-suite/venv)
#   PGHOST, PGPORT   PostgreSQL server (default: 127.0.0.1, 5432)
#   DB_USER    PostgreSQL role Odoo connects as (default: odoo; never postgres)
#   DB_PASSWORD  its password (default: odoo; Debian's server asks for one on TCP)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/points-suite"
VENV="${VENV:-$CACHE/venv}"
ODOO_SRC="${ODOO_SRC:-https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
DB_USER="${DB_USER:-odoo}"
export PGPASSWORD="${DB_PASSWORD:-odoo}"
PY="$VENV/bin/python"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root for: $*"; return 1; fi
}

ensure_system_packages() {
    local missing=()
    command -v pg_ctlcluster >/dev/null || command -v pg_ctl >/dev/null || missing+=(postgresql)
    command -v psql >/dev/null || missing+=(postgresql-client)
    [ -e /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
    [ -e /usr/include/ldap.h ] || missing+=(libldap2-dev)
    [ -e /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
    command -v gcc >/dev/null || missing+=(build-essential)
    command -v chromium >/dev/null || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)  # PDF reports
    python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
    python3 -c 'import os, sysconfig; assert os.path.exists(sysconfig.get_paths()["include"] + "/Python.h")' \
        2>/dev/null || missing+=(python3-dev)
    command -v curl >/dev/null || missing+=(curl)
    if [ ${#missing[@]} -gt 0 ]; then
        command -v apt-get >/dev/null || { log "install these packages: ${missing[*]}"; return 1; }
        log "installing system packages: ${missing[*]}"
        as_root apt-get update -qq
        mkdir -p "$CACHE"
        # dpkg's progress lines go to a log; errors still reach the terminal.
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
            >"$CACHE/apt-install.log"
    fi
}

ensure_postgres() {
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
        log "starting PostgreSQL"
        local version
        version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
        [ -n "$version" ] || { log "no PostgreSQL cluster found in /etc/postgresql"; return 1; }
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
        for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    fi
    # Odoo refuses to connect as the postgres superuser: use a role of our own.
    if ! psql -h "$PGHOST" -p "$PGPORT" -U "$DB_USER" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        log "creating PostgreSQL role $DB_USER"
        if psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
            psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc \
                "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'"
        else
            # A fresh Debian server: only the postgres OS user may connect (peer authentication).
            as_root su postgres -c "psql -qc \"CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$PGPASSWORD'\""
        fi
    fi
}

fetch_odoo_source() {
    # Prints the path of a local Odoo tree, downloading ODOO_SRC if it is a URL.
    if [ -d "$ODOO_SRC" ]; then (cd "$ODOO_SRC" && pwd); return; fi
    local dest="$CACHE/odoo-18.0"
    if [ ! -f "$dest/odoo-bin" ]; then
        log "downloading Odoo 18.0 from $ODOO_SRC"
        mkdir -p "$dest"
        curl -fsSL "$ODOO_SRC" | tar -xz -C "$dest" --strip-components=1
    fi
    echo "$dest"
}

ensure_venv() {
    if [ ! -x "$PY" ]; then
        log "creating virtualenv $VENV"
        mkdir -p "$(dirname "$VENV")"
        python3 -m venv "$VENV"
        "$PY" -m pip install -q --upgrade pip wheel
    fi
    if ! "$PY" -c 'import odoo.release' 2>/dev/null; then
        local src
        src="$(fetch_odoo_source)"
        log "installing Odoo 18.0 from $src"
        # cbor2 5.4.2 (pinned by Odoo) only builds with an older setuptools.
        local constraint="$CACHE/build-constraints.txt"
        echo 'setuptools<70' > "$constraint"
        # pip >= 25.3 reads build constraints from PIP_BUILD_CONSTRAINT, older
        # pips from PIP_CONSTRAINT; set both.
        PIP_CONSTRAINT="$constraint" PIP_BUILD_CONSTRAINT="$constraint" \
            "$PY" -m pip install -q -r "$src/requirements.txt"
        # A path-based editable install (compat mode): OCA add-ons installed from PyPI as
        # odoo-addon-* wheels put an odoo/addons folder into site-packages, which would
        # shadow Odoo itself behind setuptools' import finder.
        "$PY" -m pip install -q --no-deps --no-build-isolation -e "$src" --config-settings editable_mode=compat
    fi
    local stamp="$VENV/.points-suite-requirements"
    if ! cmp -s "$ROOT/requirements.txt" "$stamp"; then
        log "installing the suite's requirements"
        "$PY" -m pip install -q -r "$ROOT/requirements.txt"
        cp "$ROOT/requirements.txt" "$stamp"
    fi
}

odoo_addons_path() {
    "$PY" - "$ROOT/addons" <<'PYEOF'
import os, sys, odoo
base = os.path.dirname(os.path.dirname(odoo.__file__))
print(",".join([os.path.join(base, "addons"), os.path.join(base, "odoo", "addons"), sys.argv[1]]))
PYEOF
}

# Runs Odoo with the suite's odoo.conf and the right addons path.
odoo_cmd() {
    "$PY" -m odoo -c "$ROOT/odoo.conf" --addons-path="$(odoo_addons_path)" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" --db_password="$PGPASSWORD" "$@"
}

# Our Odoo modules (folders of addons/ with a manifest), comma-separated.
suite_modules() {
    local names=()
    for manifest in "$ROOT"/addons/*/__manifest__.py; do names+=("$(basename "$(dirname "$manifest")")"); done
    (IFS=,; echo "${names[*]}")
}

ensure_everything() {
    ensure_system_packages
    ensure_postgres
    ensure_venv
}
