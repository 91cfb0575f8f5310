#!/usr/bin/env bash
# OpenSSH's sshd for the tests of SSH remotes (called by .ci/run, as root): installs Debian's openssh-server (sshd,
# ssh-keygen) when it is missing, and the privilege separation directory sshd needs. The tests start their own sshd
# (sshd -D -e -f config) on a loopback port with a generated host key and a test-only AuthorizedKeysFile; they fail,
# not skip, when CI=true and it is missing. git (git-upload-pack on the server side) is installed by .ci/run.
set -euo pipefail

if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openssh-server >/dev/null
fi
mkdir -p /run/sshd
echo "sshd.sh: $(/usr/sbin/sshd -V 2>&1 | head -n 1)"
