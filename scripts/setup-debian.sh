#!/usr/bin/env bash
# Installs the Debian packages the course needs beyond Node, on a Debian (or
# Ubuntu) machine, as root. Installs only what is missing; safe to run again.
#
#   g++, make, python3   build the native shim (npm install runs node-gyp)
#   chromium             the lesson site's browser test (grader/test/site.test.ts)
#   bubblewrap           namespaces for the grader's sandbox (bwrap)
#   libxml2-utils        xmllint, to check JUnit reports against their schema
#
# .ci/run calls it when it runs as root; .devcontainer/Dockerfile calls it when
# it builds the learner's image. Node itself is not installed here.
set -euo pipefail

packages=(g++ make python3 chromium bubblewrap libxml2-utils)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-debian: every package is installed: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "setup-debian: run as root (sudo) to install: ${missing[*]}" >&2
  exit 1
fi

echo "setup-debian: installing ${missing[*]}"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
