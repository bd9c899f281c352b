# Shared by bin/run and bin/test (sourced, not run): finds Python 3.11+,
# creates .venv and installs a requirements file into it, quickly when the
# file has not changed since the last install.

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [[ -n "$candidate" ]] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
    return 1
}

# ensure_venv REQUIREMENTS_FILE: sets PY to the venv's python.
ensure_venv() {
    local requirements="$1"
    VENV="${VENV:-.venv}"
    if [[ ! -x "$VENV/bin/python" ]]; then
        step "Creating the virtualenv in $VENV"
        "$(find_python)" -m venv "$VENV"
    fi
    PY="$VENV/bin/python"
    # Skip the install when this requirements set was installed already.
    local stamp="$VENV/.installed-$(basename "$requirements" .txt)"
    local digest
    digest="$(cat requirements/*.txt | sha256sum | cut -d' ' -f1)"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$digest" ]]; then
        return 0
    fi
    step "Installing $requirements"
    if [[ ! -x "$VENV/bin/uv" ]]; then
        "$PY" -m pip install --quiet --disable-pip-version-check uv || true
    fi
    if [[ -x "$VENV/bin/uv" ]] && "$VENV/bin/uv" pip install --quiet --python "$PY" -r "$requirements"; then
        :
    else
        echo "uv unavailable or failed; installing with pip" >&2
        "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    fi
    echo "$digest" >"$stamp"
}
