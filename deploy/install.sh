#!/usr/bin/env bash
# Installs what the system needs on a Debian 12 machine (run as root); safe to run again.
#   Debian: pango + HarfBuzz subsetter (fast WeasyPrint), IPAex Japanese fonts, poppler-utils (pdftotext/pdffonts),
#           chromium (the browser tests drive Debian's build: `playwright install` cannot download one here),
#           nodejs + npm only when there is no node/npm yet (for axe-core)
#   npm:    axe-core (the browser tests' accessibility checks), into var/npm
#   Python: this repository, editable, with its test extras (playwright, html5lib)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEBIAN_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
  fonts-ipaexfont-gothic fonts-ipaexfont-mincho
  poppler-utils
  chromium
)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  DEBIAN_PACKAGES+=(nodejs npm)
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" != "install ok installed" ]; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: missing Debian packages (${missing[*]}); run as root to install them" >&2
    exit 1
  fi
  echo "install.sh: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$ROOT"
# axe-core: one file (axe.min.js) that the browser tests inject into each page; var/ is not in git.
AXE_VERSION="4.14.1"
if [ ! -f var/npm/node_modules/axe-core/axe.min.js ]; then
  echo "install.sh: installing axe-core@$AXE_VERSION into var/npm"
  mkdir -p var/npm
  npm install --prefix var/npm --no-save --no-audit --no-fund --loglevel=error "axe-core@$AXE_VERSION" >/dev/null
fi

# pip takes ~10 s even when nothing changed; skip it while pyproject.toml and the interpreter are the same
# as at the last successful install (INSTALL_FORCE=1 reinstalls anyway). var/ is not in git.
stamp_file="var/.install-stamp"
stamp="$( { cat pyproject.toml; python3 -c 'import sys; print(sys.executable, sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [ "${INSTALL_FORCE:-0}" != "1" ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ] \
    && python3 -c 'import importlib.metadata as m; m.distribution("esurety")' 2>/dev/null; then
  echo "install.sh: Python dependencies unchanged since the last install (INSTALL_FORCE=1 to reinstall)"
  exit 0
fi
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -e '.[test]'
mkdir -p var
echo "$stamp" > "$stamp_file"
echo "install.sh: Debian packages and Python dependencies are in place"
