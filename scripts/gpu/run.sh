#!/usr/bin/env bash
# On a machine with a GPU (docs/gpu.md): the example guests, with the
# suites' own assertions, and the bench, in Chromium and Firefox on the GPU,
# from a pack that scripts/gpu/pack.mjs made on a built tree. Needs nothing
# from a registry: the pack holds the browsers, their libraries, the Vulkan
# loader, Node and the tree.
#
#   scripts/gpu/run.sh PACK_DIR [examples|bench|all] [OUT_DIR]
#
# examples: `run --hardware` of the example guests in both browsers
#   (scripts/gpu/examples.mjs) and the Playwright suites of the example
#   guests with WASI_WEBGPU_HARDWARE=1, which fails every test whose browser
#   gives a software adapter; bench: `npm run bench -- --hardware`.
# Logs and the bench's JSON go to OUT_DIR ($OUT, else /tmp/wasi-webgpu-gpu-out).
set -uo pipefail
pack=$(cd "${1:?usage: run.sh PACK_DIR [examples|bench|all] [OUT_DIR]}" && pwd)
what=${2:-all}
out=${3:-${OUT:-/tmp/wasi-webgpu-gpu-out}}
work=${WASI_WEBGPU_GPU_WORK:-/tmp/wasi-webgpu-gpu}
mkdir -p "$out"

if [ ! -x "$work/bin/node" ]; then
  ls "$pack"/part-*/pack.tar.xz.* >/dev/null 2>&1 || { echo "run.sh: no pack in $pack (part-*/pack.tar.xz.*), and none unpacked in $work" >&2; exit 1; }
  mkdir -p "$work"
  cat "$pack"/part-*/pack.tar.xz.* | xz -d | tar -C "$work" -xf - || { echo "run.sh: the pack in $pack did not unpack" >&2; exit 1; }
fi
export LD_LIBRARY_PATH="$work/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PATH="$work/bin:$PATH"
export CHROMIUM_PATH="$work/chromium/chromium" FIREFOX_PATH="$work/firefox/firefox-esr"
export FONTCONFIG_FILE="$work/fonts.conf"
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
# The NVIDIA driver's Vulkan ICD where container images put it, unless the caller chose.
if [ -z "${VK_DRIVER_FILES:-}" ]; then
  for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$icd" ]; then export VK_DRIVER_FILES=$icd; break; fi
  done
fi
# glvnd's EGL vendor file of the driver, for ANGLE where it asks for EGL.
if [ -z "${__EGL_VENDOR_LIBRARY_FILENAMES:-}" ] && [ -f /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json ]; then
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
fi
# Run from a checkout (not from the pack's own copy): the checkout's sources
# replace the pack's, so a change to a test or the CLI needs no new pack;
# built files (npm/dist, npm/pkg, web-tests/build) stay the pack's.
repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$repo" != "$work/tree" ] && [ -f "$repo/package.json" ]; then
  cp -r "$repo/npm" "$repo/web-tests" "$repo/scripts" "$repo/playwright.config.ts" "$work/tree/"
fi
# Built files packed since (pack.mjs --built-only) replace the pack's.
if [ -f "$pack/built/built.tar.xz" ]; then
  xz -dc "$pack/built/built.tar.xz" | tar -C "$work/tree" -xf - || exit 1
fi
cd "$work/tree" || exit 1
{
  echo "gpu: $(nvidia-smi -L 2>/dev/null | head -n 1 || echo 'nvidia-smi not found')"
  echo "gpu: VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}; node $(node --version); $("$CHROMIUM_PATH" --version 2>/dev/null); $("$FIREFOX_PATH" --version 2>/dev/null)"
} | tee "$out/versions.txt"

status=0
if [ "$what" = examples ] || [ "$what" = all ]; then
  node scripts/gpu/examples.mjs 2>&1 | tee "$out/examples.log" || status=1
  WASI_WEBGPU_HARDWARE=1 node node_modules/@playwright/test/cli.js test \
    web-tests/compute.spec.ts web-tests/render.spec.ts web-tests/display.spec.ts web-tests/wgpu.spec.ts \
    --workers 4 --reporter list 2>&1 | tee "$out/suites.log" || status=1
fi
if [ "$what" = bench ] || [ "$what" = all ]; then
  # shellcheck disable=SC2086 # BENCH_ARGS: more of the bench's own options, word by word
  node scripts/bench.mjs --hardware --runs "${BENCH_RUNS:-5}" ${BENCH_ARGS:-} --json "$out/bench-gpu.json" 2>&1 | tee "$out/bench.log" || status=1
fi
exit $status
