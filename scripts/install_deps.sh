#!/bin/sh
# Installs what qtsim needs from Debian 12's packages, only what is missing.
# Runs apt-get through sudo when not root. No other downloads.
set -eu
PACKAGES="build-essential cmake ninja-build pkg-config libsystemc-dev nlohmann-json3-dev libcli11-dev clang libclang-rt-14-dev
clang-format libgtest-dev python3 python3-dev pybind11-dev python3-pandas python3-torch python3-numpy python3-matplotlib python3-scipy
python3-distributed python3-onnx dataset-fashion-mnist"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "install_deps: all packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install_deps: installing$missing"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
