#!/usr/bin/env bash
# Installs the Debian packages the platform needs when they are missing:
#   ffmpeg (video packaging, always); with --for-tests also chromium (browser tests) and a CJK
#   font, without which the browser tests' screenshots show boxes instead of Chinese.
# As root it uses apt-get; otherwise it says exactly what to install and stops.
set -euo pipefail

need=()
command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || need+=(ffmpeg)
if [[ "${1:-}" == "--for-tests" ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
  fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
fi
[[ ${#need[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "缺少系统软件包 (missing system packages): ${need[*]}" >&2
  echo "请以 root 运行 (run as root): apt-get update && apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "安装系统软件包 (installing): ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
