#!/usr/bin/env bash
# Plants known bugs, one at a time, in a copy of the kernels and shows that the emulated op tests catch
# each one, and how (a wrong value, schedules that disagree, a guard page, a divergent collective, ...).
# Run it when cuda/emu changes (not in every CI): about 5 minutes on 2 cores.
#
#   scripts/kernel-mutations.sh [--only TEXT] [--keep] [BUILD_DIR]     (default build/emu-mutations)
#
# Exit status 0 when every planted bug is caught the expected way. The list lives in cuda/emu/mutations.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec python3 "$root/cuda/emu/mutations.py" "$@"
