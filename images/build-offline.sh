#!/usr/bin/env bash
# Builds Hone's training images from Debian packages, with no image registry: debootstrap a minimal Debian root
# filesystem from the apt mirror this machine already uses, install Python and the ML libraries into it with
# apt-get, and `docker import` it under the same names the registry Dockerfiles in images/<name>/ produce.
#
#   images/build-offline.sh [--force] [python|sklearn|pytorch|tensorflow|server|postgres|all]...
#                                                                                   (default: python sklearn)
#   python   hone/python    python3, numpy, pandas
#   sklearn  hone/sklearn   python + scikit-learn, XGBoost
#   pytorch  hone/pytorch   python + torch, torchvision (large: about 1 GB more)
#   tensorflow              not available: Debian has no TensorFlow package; build images/tensorflow/Dockerfile
#                           where a registry is reachable
#   server   hone/server    hone serve itself: the jar (target/hone.jar, or HONE_JAR) on a Java runtime made by
#                           jlink from this machine's JDK (21 or newer), python3 for local trials; runs as hone
#                           (1000), data in the volume /var/lib/hone, hone-server.yaml from /etc/hone
#   postgres hone/postgres  Debian's PostgreSQL, as user postgres; POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB
#                           make the role and the database at the first start; data in /var/lib/postgresql/data
#
# An image already built by this same script is kept (--force rebuilds it); a changed script rebuilds, since every
# image carries the label hone.build-offline=<sha256 of this script>. Needs root, debootstrap and a running Docker
# daemon. Settings, from the environment:
#   HONE_APT_MIRROR    the Debian mirror (default: the one in /etc/apt/sources.list.d/*.sources or sources.list)
#   HONE_DEBIAN_SUITE  default bookworm
#   HONE_IMAGE_CACHE   downloaded packages and the base root filesystem, kept between builds
#                      (default /var/cache/hone-images)
set -euo pipefail

SUITE=${HONE_DEBIAN_SUITE:-bookworm}
CACHE=${HONE_IMAGE_CACHE:-/var/cache/hone-images}
SCRIPT_HASH=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)
HONE_UID=1000

die() { echo "build-offline: $*" >&2; exit 1; }
say() { echo "build-offline: $*" >&2; }

packages_of() {
  local python="python3 python3-numpy python3-pandas"
  case $1 in
    python) echo "$python" ;;
    sklearn) echo "$python python3-sklearn python3-xgboost" ;;
    pytorch) echo "$python python3-torch python3-torchvision" ;;
    tensorflow) die "Debian $SUITE has no TensorFlow (nor Keras) package, so hone/tensorflow cannot be built offline:
  build it from images/tensorflow/Dockerfile where an image registry is reachable:
    docker build -t hone/tensorflow images/tensorflow
  or name another image in hone.yaml (environment.image) or build your own (environment.dockerfile)." ;;
    server) echo "python3 ca-certificates tini" ;;
    postgres) echo "postgresql tini" ;;
    *) die "unknown image '$1': choose python, sklearn, pytorch, server, postgres or all" ;;
  esac
}

# Prints "URI SUITE" for each deb source of this machine's apt configuration (deb822 .sources files and
# one-line .list files), the first line being the main suite's.
apt_sources() {
  {
    for f in /etc/apt/sources.list.d/*.sources; do
      [[ -f $f ]] || continue
      awk 'BEGIN { RS=""; FS="\n" }
        {
          types=""; uris=""; suites=""; enabled="yes"
          for (i = 1; i <= NF; i++) {
            line = $i; sub(/^[ \t]+/, "", line)
            if (line ~ /^#/) continue
            split(line, kv, ":"); key = tolower(kv[1]); value = substr(line, length(kv[1]) + 2)
            gsub(/^[ \t]+|[ \t]+$/, "", value)
            if (key == "types") types = value
            else if (key == "uris") uris = value
            else if (key == "suites") suites = value
            else if (key == "enabled") enabled = tolower(value)
          }
          if (enabled == "no" || (" " types " ") !~ / deb /) next
          nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
          for (a = 1; a <= nu; a++) for (b = 1; b <= ns; b++) print u[a], s[b]
        }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [[ -f $f ]] || continue
      # deb [options] URI SUITE COMPONENTS...
      sed -E -n 's/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+([^[:space:]]+).*/\2 \3/p' "$f"
    done
  } | awk -v suite="$SUITE" '$2 == suite || $2 == suite "-updates" || $2 == suite "-security"' \
    | awk -v suite="$SUITE" '$2 == suite { print; next } { rest[++n] = $0 } END { for (i = 1; i <= n; i++) print rest[i] }'
}

MIRROR=${HONE_APT_MIRROR:-}
SOURCES=$(apt_sources || true)
if [[ -z $MIRROR ]]; then
  MIRROR=$(echo "$SOURCES" | awk -v suite="$SUITE" '$2 == suite { print $1; exit }')
fi
[[ -n $MIRROR ]] || die "no Debian mirror for $SUITE in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list:
  set HONE_APT_MIRROR=http://your-mirror/debian"
[[ -n $SOURCES ]] || SOURCES="$MIRROR $SUITE"

image_hash() { docker image inspect -f '{{ index .Config.Labels "hone.build-offline" }}' "$1" 2>/dev/null || true; }

ROOTFS=""
cleanup() {
  if [[ -n $ROOTFS && -d $ROOTFS ]]; then
    for m in var/cache/apt/archives dev/pts proc; do
      mountpoint -q "$ROOTFS/$m" 2>/dev/null && umount -l "$ROOTFS/$m" || true
    done
    rm -rf --one-file-system "$ROOTFS"
  fi
}
trap cleanup EXIT

# The debootstrapped base, shared by every image: built once per suite, mirror and script version; sets $BASE.
base_tarball() {
  local tarball="$CACHE/base-$SUITE-$(echo "$MIRROR $SCRIPT_HASH" | sha256sum | cut -c1-12).tar"
  if [[ ! -s $tarball ]]; then
    say "debootstrap --variant=minbase $SUITE from $MIRROR"
    local base; base=$(mktemp -d /var/tmp/hone-base.XXXXXX)
    ROOTFS=$base
    debootstrap --variant=minbase --cache-dir="$CACHE/debs" "$SUITE" "$base" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (full log: $CACHE/debootstrap.log)"; }
    tar -C "$base" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf --one-file-system "$base"; ROOTFS=""
    find "$CACHE" -maxdepth 1 -name "base-$SUITE-*.tar" ! -path "$tarball" -delete
  fi
  BASE=$tarball
}

# The server's jar: HONE_JAR, or target/hone.jar of the checkout this script is in.
server_jar() {
  local jar=${HONE_JAR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/hone.jar}
  [[ -f $jar ]] || die "no Hone jar at $jar: build it first (./mvnw -DskipTests package) or set HONE_JAR"
  echo "$jar"
}

# A JDK 21 or newer with jlink: JAVA_HOME, then /usr/lib/jvm/*, newest first.
find_jlink() {
  local home v
  for home in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    home=${home%/}
    [[ -n $home && -x $home/bin/jlink ]] || continue
    v=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ {split($2, a, "."); print a[1]; exit}')
    if [[ -n $v && $v -ge 21 ]]; then echo "$home/bin/jlink"; return 0; fi
  done
  die "no JDK 21 or newer with jlink (looked at JAVA_HOME and /usr/lib/jvm/*): apt-get install -y openjdk-21-jdk-headless"
}

# What an image's label says it was built from: this script, and for the server its jar.
wanted_hash() {
  if [[ $1 == server ]]; then
    echo "$SCRIPT_HASH-$(sha256sum "$(server_jar)" | cut -c1-16)"
  else
    echo "$SCRIPT_HASH"
  fi
}

# The server's files: the jlinked runtime, the jar, the hone command, a hone-server.yaml for a container.
install_server() {
  local jlink; jlink=$(find_jlink)
  # every java.* module (Jdbi reads beans, JGit and the JDBC drivers want naming and management), the JDK's HTTP
  # server (the Kubernetes executor's transfers), Unsafe for the libraries that use it, zip file systems and DNS
  "$jlink" --add-modules java.se,jdk.unsupported,jdk.httpserver,jdk.zipfs,jdk.naming.dns,jdk.crypto.ec,jdk.management \
    --strip-debug --no-man-pages --no-header-files --compress=zip-6 --output "$ROOTFS/opt/hone/java" \
    || die "jlink failed ($jlink)"
  install -m 0644 "$(server_jar)" "$ROOTFS/opt/hone/hone.jar"
  cat >"$ROOTFS/usr/local/bin/hone" <<'SH'
#!/bin/sh
# hone in the image: the jlinked runtime; JAVA_OPTS for the JVM (-Xmx2g, …)
exec /opt/hone/java/bin/java $JAVA_OPTS -jar /opt/hone/hone.jar "$@"
SH
  chmod 0755 "$ROOTFS/usr/local/bin/hone"
  mkdir -p "$ROOTFS/etc/hone"
  cat >"$ROOTFS/etc/hone/hone-server.yaml" <<'YAML'
# hone-server.yaml of the hone/server image: mount your own over /etc/hone/hone-server.yaml
listen: 0.0.0.0:8080
data_dir: /var/lib/hone
YAML
  chroot "$ROOTFS" sh -c "mkdir -p /var/lib/hone && chown $HONE_UID:$HONE_UID /var/lib/hone"
}

# PostgreSQL's first start: a cluster in $PGDATA with the role and database of the environment, then postgres.
install_postgres() {
  cat >"$ROOTFS/usr/local/bin/hone-postgres" <<'SH'
#!/bin/sh
set -eu
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "hone-postgres: set POSTGRES_PASSWORD (the password of POSTGRES_USER)" >&2; exit 2; }
  user=${POSTGRES_USER:-postgres}
  pwfile=$(mktemp); printf '%s
' "$POSTGRES_PASSWORD" >"$pwfile"
  "$bin/initdb" -D "$PGDATA" -U "$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256     --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  db=${POSTGRES_DB:-$user}
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE "$db" OWNER "$user"" | "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "hone-postgres: made the cluster in $PGDATA with role $user and database $db" >&2
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/tmp "$@"
SH
  chmod 0755 "$ROOTFS/usr/local/bin/hone-postgres"
  chroot "$ROOTFS" sh -c "mkdir -p /var/lib/postgresql/data && chown -R postgres:postgres /var/lib/postgresql \
    && chmod 0700 /var/lib/postgresql/data"
}

# docker import's settings of each image
import_changes() {
  case $1 in
    server) printf '%s\n' "USER hone" "WORKDIR /var/lib/hone" "EXPOSE 8080" "VOLUME /var/lib/hone" \
      'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/hone"]' \
      'CMD ["serve", "--config", "/etc/hone/hone-server.yaml"]' ;;
    postgres) printf '%s\n' "USER postgres" "WORKDIR /var/lib/postgresql" "EXPOSE 5432" \
      "VOLUME /var/lib/postgresql/data" "ENV PGDATA=/var/lib/postgresql/data HOME=/var/lib/postgresql" \
      'ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/hone-postgres"]' 'CMD []' ;;
    *) printf '%s\n' "USER hone" "WORKDIR /work" 'CMD ["python3"]' ;;
  esac
}

build() {
  local name=$1 image="hone/$1:latest" packages hash
  packages=$(packages_of "$name")
  hash=$(wanted_hash "$name")
  if [[ $FORCE == no && $(image_hash "$image") == "$hash" ]]; then
    say "$image is up to date (built by this script version from the same files, $hash); --force rebuilds it"
    return
  fi
  local started=$SECONDS
  base_tarball
  ROOTFS=$(mktemp -d /var/tmp/hone-rootfs-$name.XXXXXX)
  tar -C "$ROOTFS" -xf "$BASE"
  echo "$SOURCES" | awk '{ print "deb " $1 " " $2 " main" }' >"$ROOTFS/etc/apt/sources.list"
  cat >"$ROOTFS/etc/apt/apt.conf.d/90hone" <<'CONF'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
// snapshot mirrors serve Release files past their Valid-Until date
Acquire::Check-Valid-Until "false";
CONF
  cat >"$ROOTFS/etc/dpkg/dpkg.cfg.d/90hone-nodoc" <<'CONF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
CONF
  if [[ $name == postgres ]]; then
    # the package makes no cluster of its own: the entrypoint makes one in the volume at the first start
    mkdir -p "$ROOTFS/etc/postgresql-common"
    echo "create_main_cluster = false" >"$ROOTFS/etc/postgresql-common/createcluster.conf"
  fi
  mkdir -p "$CACHE/archives/partial"
  mount -t proc proc "$ROOTFS/proc"
  mount --bind "$CACHE/archives" "$ROOTFS/var/cache/apt/archives"
  say "installing into $image: $packages"
  local log="$CACHE/$name.log"
  if ! chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
      sh -c "apt-get update && apt-get install -y $packages" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    die "apt-get install failed in the $name root filesystem (full log: $log)"
  fi
  chroot "$ROOTFS" sh -c "groupadd -g $HONE_UID hone && useradd -m -u $HONE_UID -g hone -s /bin/sh hone \
    && mkdir -p /work && chown hone:hone /work"
  umount "$ROOTFS/var/cache/apt/archives"
  umount "$ROOTFS/proc"
  case $name in
    server) install_server ;;
    postgres) install_postgres ;;
  esac
  rm -rf "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/log/* "$ROOTFS"/tmp/*
  say "importing $image"
  local previous; previous=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  local changes=()
  while IFS= read -r change; do changes+=(--change "$change"); done < <(import_changes "$name")
  tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8 HOME=/home/hone PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1" \
    "${changes[@]}" \
    --change "LABEL hone.build-offline=$hash hone.image=$name" \
    --message "hone build-offline.sh $name ($SUITE from $MIRROR)" - "$image" >/dev/null
  rm -rf --one-file-system "$ROOTFS"; ROOTFS=""
  # the image this one replaces, unless a container still uses it
  [[ -z $previous ]] || docker rmi "$previous" >/dev/null 2>&1 || true
  say "built $image in $((SECONDS - started))s: $packages"
}

FORCE=no
NAMES=()
for arg in "$@"; do
  case $arg in
    --force) FORCE=yes ;;
    all) NAMES+=(python sklearn pytorch) ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) NAMES+=("$arg") ;;
  esac
done
[[ ${#NAMES[@]} -gt 0 ]] || NAMES=(python sklearn)
for name in "${NAMES[@]}"; do packages_of "$name" >/dev/null; done
[[ $EUID -eq 0 ]] || die "needs root (debootstrap and chroot): run it with sudo"
command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install -y debootstrap"
docker info >/dev/null 2>&1 || die "the Docker daemon does not answer (docker info failed): start it (dockerd or systemctl start docker)"
mkdir -p "$CACHE/debs" "$CACHE/archives"
for name in "${NAMES[@]}"; do build "$name"; done
