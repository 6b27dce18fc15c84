#!/usr/bin/env bash
# Prepares, on the build machine, what the GPU check needs besides the tracked tree:
#   java/target/esm2j.jar   the CLI (git-ignored: carry it)
#   .carry/jdk.tar.xz       a jlinked Java 25 runtime (the GPU machine may have no JDK; about 25 MB)
# Then, with the device tool:  run  command="bench/gpu-check/run.sh $OUT/check"
#                                   carry=["java/target/esm2j.jar", ".carry"]   timeout_s=420
# run.sh unpacks .carry/jdk.tar.xz when the GPU machine has no java. Everything carried must stay under
# 64 MiB with the tree: this script prints the total.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$JAVA_HOME/bin/jlink" ]] || export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

(mvn -q -B -o -pl java -am package -DskipTests || mvn -q -B -pl java -am package -DskipTests) >/dev/null
jar=java/target/esm2j.jar
modules="$("$JAVA_HOME/bin/jdeps" --multi-release 25 --ignore-missing-deps --print-module-deps "$jar")"
modules="$modules,java.logging,java.net.http,jdk.unsupported,jdk.crypto.ec"

mkdir -p .carry
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --output "$tmp/jdk"   # uncompressed: xz packs it to about 22 MB, half of what a zip-compressed image gives
tar -C "$tmp" -cf - jdk | xz -T0 -9 >.carry/jdk.tar.xz
echo "jar:      $(du -h "$jar" | cut -f1)  $jar"
echo "runtime:  $(du -h .carry/jdk.tar.xz | cut -f1)  .carry/jdk.tar.xz (modules: $modules)"
tree_bytes=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
carry_bytes=$(du -cb "$jar" .carry | tail -1 | cut -f1)
echo "to send:  $(( (tree_bytes + carry_bytes) / 1048576 )) MiB of 64 (tracked tree $(( tree_bytes / 1048576 )) MiB + carried $(( carry_bytes / 1048576 )) MiB)"
