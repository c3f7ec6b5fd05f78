#!/bin/sh
# Install what the SSH backend's tests need (OpenSSH server and client, rsync) when missing.
# The tests start their own sshd on 127.0.0.1; no system sshd is started or enabled here.
set -eu
missing=""
command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || missing="$missing openssh-server"
command -v ssh >/dev/null 2>&1 || missing="$missing openssh-client"
command -v ssh-keygen >/dev/null 2>&1 || missing="$missing openssh-client"
command -v rsync >/dev/null 2>&1 || missing="$missing rsync"
if [ -z "$missing" ]; then
    # sshd also needs its privilege-separation account.
    exec "$(dirname "$0")/ensure-sshd-user.sh"
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-sshd-deps: please install:$missing (no apt-get here)" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
# shellcheck disable=SC2086 # word splitting of the package list is intended
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
"$(dirname "$0")/ensure-sshd-user.sh"
