#!/usr/bin/env bash
# Builds the Debian package of ashby-feedback, dist/ashby-feedback_<version>_<arch>.deb, and checks
# it: lintian must report no error, `systemd-analyze verify` must accept the units, and the alert
# rules it ships must pass `promtool test rules` (scripts/monitoring-check.sh). <version> is
# what the built binary's `--version` prints (Sources/AshbyFeedback/ProductVersion.swift, the one
# place it is kept). Installs the tools it needs (scripts/install-deps.sh). Details and the
# package's layout: docs/packaging.md. The last line printed is the .deb's path.
#
#   scripts/package.sh [--output DIR]      (default DIR: dist)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

output=dist
while [ $# -gt 0 ]; do
    case $1 in
        --output) output=${2:?--output needs a folder}; shift 2 ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "package: unknown argument $1 (usage: scripts/package.sh [--output DIR])" >&2; exit 64 ;;
    esac
done

# Everything goes to standard error but the .deb's path, the last line on standard output.
exec 3>&1 1>&2
say() { echo "package: $*" >&2; }
fail() { say "$*"; exit 1; }

# dpkg-dev: dpkg-shlibdeps; binutils: strip, readelf; systemd: systemd-analyze.
scripts/install-deps.sh libpq-dev libcurl4-openssl-dev dpkg-dev binutils lintian systemd

# The alert rules it ships must pass their tests.
scripts/monitoring-check.sh

# --- Build --------------------------------------------------------------------------------------
# The Swift runtime and Foundation linked in (--static-swift-stdlib), so the package needs only
# Debian's libraries; no $ORIGIN run path (nothing is installed beside the binary); BIND_NOW so that
# the relocations are read-only from the start (full RELRO). A scratch folder of its own, so the
# demo's and the benchmark's `swift build -c release` do not rebuild everything after this one.
scratch=.build/package
build_flags=(-c release --static-swift-stdlib --disable-local-rpath -Xlinker -z -Xlinker now --scratch-path "$scratch")
say "building the release binary (swift build ${build_flags[*]})"
swift build "${build_flags[@]}" --product ashby-feedback
binary="$(swift build "${build_flags[@]}" --show-bin-path)/ashby-feedback"

# Only Debian's libraries: a libswift*.so here means the static stdlib flag was lost.
needed=$(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
unexpected=$(echo "$needed" | grep -v -E '^(libpq\.so\.5|libcurl\.so\.4|libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|ld-linux.*\.so\.[0-9])$' || true)
[ -z "$unexpected" ] || fail "the binary needs libraries Debian's libpq5/libcurl4/libc6 do not provide: $unexpected"

version=$("$binary" --version)
[[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || fail "--version printed '$version', not a Debian version"
arch=$(dpkg --print-architecture)
name=ashby-feedback_${version}_${arch}

# The man page comes from the command's own help, through swift-argument-parser's generate-manual,
# built from the same checkout the binary was built with.
parser="$scratch/checkouts/swift-argument-parser"
say "building generate-manual (swift-argument-parser) for the man page"
swift build --package-path "$parser" --scratch-path "$scratch/generate-manual" --product generate-manual
generate_manual="$(swift build --package-path "$parser" --scratch-path "$scratch/generate-manual" --show-bin-path)/generate-manual"

# Reproducible dates: the last commit's (or SOURCE_DATE_EPOCH).
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
maintainer="${DEBFULLNAME:-ashby-feedback maintainers} <${DEBEMAIL:-ops@example.com}>"

# --- Stage the package's files ---------------------------------------------------------------------
work="$scratch/deb"
stage="$work/$name"
rm -rf "$work"
mkdir -p "$stage/DEBIAN" "$work/man"
umask 022

install -D -m 755 "$binary" "$stage/usr/bin/ashby-feedback"
strip --remove-section=.comment --remove-section=.note "$stage/usr/bin/ashby-feedback"
installed="$stage/usr/bin/ashby-feedback"

# `migrate` finds ../share/ashby-feedback/database beside /usr/bin (SchemaFiles.locate).
install -D -m 644 database/schema.sql "$stage/usr/share/ashby-feedback/database/schema.sql"
install -d "$stage/usr/share/ashby-feedback/database/changes"
install -m 644 database/changes/*.sql "$stage/usr/share/ashby-feedback/database/changes/"

# The units, installed but not enabled; the binary is in /usr/bin here, not /usr/local/bin.
install -d "$stage/lib/systemd/system"
sed 's#^ExecStart=/usr/local/bin/ashby-feedback #ExecStart=/usr/bin/ashby-feedback #' cron/ashby-feedback.service \
    >"$stage/lib/systemd/system/ashby-feedback.service"
grep -q '^ExecStart=/usr/bin/ashby-feedback ' "$stage/lib/systemd/system/ashby-feedback.service" \
    || fail "cron/ashby-feedback.service: no ExecStart=/usr/local/bin/ashby-feedback line to point at /usr/bin"
install -m 644 cron/ashby-feedback.timer "$stage/lib/systemd/system/"
install -D -m 644 cron/ashby-feedback.logrotate "$stage/etc/logrotate.d/ashby-feedback"
# Root-only until postinst's stat override makes it root:ashby-feedback 0640.
install -D -m 640 cron/ashby-feedback.env.example "$stage/etc/ashby-feedback/env"

# Completions, written by the command itself.
install -d "$stage/usr/share/bash-completion/completions" "$stage/usr/share/zsh/vendor-completions" \
    "$stage/usr/share/fish/vendor_completions.d"
# bash-completion sources its files: no #! line.
"$installed" --generate-completion-script bash | sed '1{/^#!/d}' >"$stage/usr/share/bash-completion/completions/ashby-feedback"
"$installed" --generate-completion-script zsh >"$stage/usr/share/zsh/vendor-completions/_ashby-feedback"
"$installed" --generate-completion-script fish >"$stage/usr/share/fish/vendor_completions.d/ashby-feedback.fish"

"$generate_manual" "$installed" --date "$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)" --output-directory "$work/man" >/dev/null
install -d "$stage/usr/share/man/man1"
gzip -9n -c "$work/man/ashby-feedback.1" >"$stage/usr/share/man/man1/ashby-feedback.1.gz"

doc="$stage/usr/share/doc/ashby-feedback"
install -D -m 644 cron/debian/copyright "$doc/copyright"
install -D -m 644 cron/debian/lintian-overrides "$stage/usr/share/lintian/overrides/ashby-feedback"
gzip -9n -c README.md >"$doc/README.md.gz"
gzip -9n -c database/README.md >"$doc/database-README.md.gz"
install -D -m 644 cron/crontab.example "$doc/examples/crontab.example"
install -D -m 644 cron/slack-app-manifest.yaml "$doc/examples/slack-app-manifest.yaml"
install -D -m 644 cron/prometheus/ashby-feedback.rules.yml "$doc/examples/prometheus/ashby-feedback.rules.yml"
install -D -m 644 cron/grafana/ashby-feedback.json "$doc/examples/grafana/ashby-feedback.json"
{
    echo "ashby-feedback ($version) unstable; urgency=medium"
    echo
    echo "  * Version $version, built by scripts/package.sh from commit $commit."
    echo
    echo " -- $maintainer  $(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"

# --- Control files ---------------------------------------------------------------------------------
install -m 755 cron/debian/postinst cron/debian/prerm cron/debian/postrm "$stage/DEBIAN/"
printf '%s\n' /etc/ashby-feedback/env /etc/logrotate.d/ashby-feedback >"$stage/DEBIAN/conffiles"

# Depends: what the binary links (dpkg-shlibdeps: libc6, libcurl4, libpq5, libstdc++6, libgcc-s1),
# adduser for postinst, ca-certificates for TLS to Ashby, Slack and PostgreSQL.
mkdir -p "$work/shlibs/debian"
printf 'Source: ashby-feedback\n\nPackage: ashby-feedback\nArchitecture: any\n' >"$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$root/$installed" | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || fail "dpkg-shlibdeps found no library dependencies"

cat >"$stage/DEBIAN/control" <<EOF
Package: ashby-feedback
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $shlibs, adduser, ca-certificates
Section: admin
Priority: optional
Description: Slack reminders about Ashby interviews, as a cron job
 ashby-feedback runs every few minutes (a systemd timer, cron or a Kubernetes
 CronJob). Each run pulls interview schedules, interview definitions and
 feedback forms from the Ashby API into PostgreSQL, incrementally, and sends
 interviewers a Slack DM before their interview, nudges about missing
 scorecards and a daily digest of overdue feedback to recruiters.
 .
 The package installs the command, the database schema it migrates from,
 a systemd service and timer (not enabled), a logrotate file, and the
 settings file /etc/ashby-feedback/env to fill in.
EOF

# Conffiles are not listed: dpkg keeps their checksums itself.
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort \
    | grep -v -x -F -f <(sed 's#^/##' DEBIAN/conffiles) | xargs -d '\n' md5sum) >"$stage/DEBIAN/md5sums"
chmod 644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
find "$stage" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch --no-dereference --date="@$SOURCE_DATE_EPOCH"

mkdir -p "$output"
deb="$output/$name.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null

# --- Checks ----------------------------------------------------------------------------------------
# The units as shipped, but for ExecStart naming the staged binary (/usr/bin/ashby-feedback is not
# installed here: scripts/package-test.sh verifies the installed units as they are) and the man
# page, not installed either.
say "systemd-analyze verify"
mkdir -p "$work/units"
cp "$stage/lib/systemd/system/ashby-feedback.timer" "$work/units/"
sed "s#^ExecStart=/usr/bin/ashby-feedback #ExecStart=$root/$installed #" "$stage/lib/systemd/system/ashby-feedback.service" \
    >"$work/units/ashby-feedback.service"
systemd-analyze verify --man=no "$work/units/ashby-feedback.timer" "$work/units/ashby-feedback.service"

say "lintian $deb"
lintian --fail-on error "$deb" || fail "lintian reported errors (above)"

say "built $deb ($(du -h "$deb" | cut -f1))"
echo "$deb" >&3
