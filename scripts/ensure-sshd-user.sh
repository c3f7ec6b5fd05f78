#!/bin/sh
# Create sshd's privilege-separation account when it is missing. The SSH backend's tests start
# their own sshd on 127.0.0.1, and sshd refuses to start without this account ("Privilege
# separation user sshd does not exist"), which some images lack although openssh-server is
# installed (their /etc/passwd was trimmed after the package was).
set -eu
if id sshd >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
$SUDO useradd --system --no-create-home --home-dir /run/sshd --shell /usr/sbin/nologin sshd
