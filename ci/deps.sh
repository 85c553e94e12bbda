#!/bin/sh
# Install what building and testing tsos needs, and only what is missing:
# Debian packages with apt-get, then the pinned npm packages (Bun among them).
set -eu
cd "$(dirname "$0")/.."

# tool-or-file  debian-package
need="
qemu-system-x86_64 qemu-system-x86
mkfs.erofs erofs-utils
musl-gcc musl-tools
gcc gcc
make make
bc bc
flex flex
bison bison
zstd zstd
ssh openssh-client
gvnccapture gvncviewer
dash dash
ip iproute2
unshare util-linux
/usr/src/linux-source-6.1.tar.xz linux-source-6.1
/usr/include/libelf.h libelf-dev
/usr/include/openssl/ssl.h libssl-dev
"
missing=$(echo "$need" | while read -r what pkg; do
  [ -n "$what" ] || continue
  case "$what" in
    /*) [ -e "$what" ] || echo "$pkg" ;;
    *) command -v "$what" >/dev/null 2>&1 || echo "$pkg" ;;
  esac
done | sort -u | tr '\n' ' ')

if [ -n "$missing" ]; then
  echo "deps: installing Debian packages: $missing"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "deps: Debian packages present"
fi

# npm ci only when node_modules does not match the lock file.
if [ ! -x node_modules/.bin/bun ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "deps: npm packages present"
fi
