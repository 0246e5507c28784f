#!/usr/bin/env bash
# Build the one-folder bundle dist/orderpad/ with installer/orderpad.spec, then run the bundled
# self-test. Linux and macOS (`make dist` calls this); Windows: installer/build.ps1.
#
#   PYTHON=.venv/bin/python installer/build.sh
#
# macOS signing (optional): ORDERPAD_CODESIGN_IDENTITY="Developer ID Application: … (TEAMID)"
# signs every binary with the hardened runtime and installer/entitlements.plist; with
# ORDERPAD_NOTARY_PROFILE (a `xcrun notarytool store-credentials` profile) the app is then
# notarised and the ticket stapled.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
BUNDLE=dist/orderpad
EXE=$BUNDLE/orderpad

start=$(date +%s)
# --clean: no PyInstaller cache from an earlier build can hide a missing file or hook.
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller installer/orderpad.spec
built=$(date +%s)
echo "built $BUNDLE in $((built - start)) s; size $(du -sh "$BUNDLE" | cut -f1)"

if [ "$(uname -s)" = Linux ]; then
    # What the bundle expects from the target system (an X11/Wayland desktop has these).
    missing=$(find "$BUNDLE" -name '*.so*' -type f -print0 \
        | LD_LIBRARY_PATH="$PWD/$BUNDLE/_internal" xargs -0 -n 50 ldd 2>/dev/null \
        | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
    [ -z "$missing" ] || echo "needs from the system (not on this build machine): $missing"
    case "$missing" in
        *libQt6*|*libpyside6*|*libshiboken6*|*libicu*|*libpython*)
            echo "error: the bundle lacks a library it ships itself (see installer/orderpad.spec)" >&2
            exit 1 ;;
    esac
fi

if [ "$(uname -s)" = Darwin ] && [ -n "${ORDERPAD_NOTARY_PROFILE:-}" ]; then
    ditto -c -k --keepParent dist/Orderpad.app dist/Orderpad.zip
    xcrun notarytool submit dist/Orderpad.zip --keychain-profile "$ORDERPAD_NOTARY_PROFILE" --wait
    xcrun stapler staple dist/Orderpad.app
fi

"$EXE" --version
QT_QPA_PLATFORM=offscreen "$EXE" --self-test
echo "bundle self-test done in $(($(date +%s) - built)) s"
