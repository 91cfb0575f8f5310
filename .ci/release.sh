#!/usr/bin/env bash
# CI, after the tests: the release build (./mvnw -Prelease package, on the classes verify compiled) makes
# target/hone-VERSION.jar and target/hone-VERSION.tar.gz with the launcher, the jar, the schemas, the deploy files
# and the README; the unpacked launcher runs the jar and says the version and the commit.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
./mvnw -B -ntp -q -Prelease -DskipTests package
version=$(sed -n "s:^  <version>\(.*\)</version>:\1:p" pom.xml | head -n 1)
fail() { echo "release.sh: $*" >&2; exit 1; }
[[ -s target/hone-$version.jar ]] || fail "no target/hone-$version.jar"
tarball=target/hone-$version.tar.gz
[[ -s $tarball ]] || fail "no $tarball"

listing=$(tar -tzvf "$tarball")
for entry in bin/hone lib/hone.jar README.md schema/hone.schema.json schema/hone-server.schema.json \
    deploy/hone.service deploy/compose.yaml deploy/hone-server.yaml deploy/kubernetes/deployment.yaml \
    deploy/kubernetes/role.yaml; do
  grep -qE " hone-$version/$entry\$" <<<"$listing" || fail "$tarball has no hone-$version/$entry:
$listing"
done
grep -qE "^-rwxr-xr-x .* hone-$version/bin/hone\$" <<<"$listing" || fail "bin/hone is not executable in $tarball"

unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
tar -xzf "$tarball" -C "$unpacked"
said=$("$unpacked/hone-$version/bin/hone" --version)
commit=$(git rev-parse --short=12 HEAD)
[[ $said == "hone $version (commit $commit)" ]] || fail "bin/hone --version said '$said', not 'hone $version (commit $commit)'"
echo "release.sh: $tarball ($(du -h "$tarball" | cut -f1)) and hone-$version.jar made and checked in $((SECONDS - start))s: $said"
