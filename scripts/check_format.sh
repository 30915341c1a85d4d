#!/bin/sh
# scripts/check_format.sh [--fix]
# Checks that every C++ source of the repository (base/, workloads/, hw_models/,
# sim/, tests/) follows .clang-format, with Debian 12's clang-format (14); lists
# the files that do not and exits 1. --fix rewrites them in place instead.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
format=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$format" ]; then
  echo "check_format: clang-format not found; install Debian's clang-format (scripts/install_deps.sh)" >&2
  exit 1
fi
files=$(git ls-files -- 'base/*.h' 'base/*.cpp' 'workloads/*.h' 'workloads/*.cpp' 'hw_models/*.h' 'hw_models/*.cpp' 'python/*.h' 'python/*.cpp' \
  'sim/*.h' 'sim/*.cpp' 'tests/*.h' 'tests/*.cpp' 2>/dev/null || true)
if [ -z "$files" ]; then  # not a git checkout: every source under the folders
  files=$(find base workloads hw_models sim tests python -name '*.h' -o -name '*.cpp' | sort)
fi
if [ "${1:-}" = "--fix" ]; then
  echo "$files" | xargs "$format" -i
  exit 0
fi
bad=""
for f in $files; do
  if ! "$format" --dry-run --Werror "$f" >/dev/null 2>&1; then bad="$bad $f"; fi
done
if [ -n "$bad" ]; then
  echo "check_format: these files do not follow .clang-format (fix: scripts/check_format.sh --fix):" >&2
  for f in $bad; do echo "  $f" >&2; done
  exit 1
fi
echo "check_format: $(echo "$files" | wc -w) files follow .clang-format"
