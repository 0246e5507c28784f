# Build dist\orderpad\ on Windows with installer\orderpad.spec and run the bundled self-test.
#
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1
#
# Signing (optional): with ORDERPAD_SIGN_THUMBPRINT set to the SHA-1 thumbprint of an
# Authenticode code-signing certificate in the certificate store (an EV or OV certificate, or
# Azure Trusted Signing via its signtool dlib), orderpad.exe is signed and timestamped with
# signtool (Windows SDK) before the self-test runs.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
.venv\Scripts\python -m pip install --quiet -c constraints.txt -e ".[dist]"
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

$watch = [Diagnostics.Stopwatch]::StartNew()
.venv\Scripts\python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller installer\orderpad.spec
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
$size = (Get-ChildItem dist\orderpad -Recurse -File | Measure-Object Length -Sum).Sum / 1MB
"built dist\orderpad in {0:N0} s; size {1:N0} MB" -f $watch.Elapsed.TotalSeconds, $size

if ($env:ORDERPAD_SIGN_THUMBPRINT) {
    $timestamp = if ($env:ORDERPAD_TIMESTAMP_URL) { $env:ORDERPAD_TIMESTAMP_URL } else { "http://timestamp.digicert.com" }
    signtool sign /sha1 $env:ORDERPAD_SIGN_THUMBPRINT /fd SHA256 /tr $timestamp /td SHA256 `
        /d "Orderpad" dist\orderpad\orderpad.exe
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    signtool verify /pa /v dist\orderpad\orderpad.exe
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

dist\orderpad\orderpad.exe --version
$env:QT_QPA_PLATFORM = "offscreen"
dist\orderpad\orderpad.exe --self-test
exit $LASTEXITCODE
