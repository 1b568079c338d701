#!/usr/bin/env bash
# Install a built bundle (packaging/build.sh) with its menu entry and icon.
#
#   packaging/linux/install.sh [--prefix DIR] [--dist DIR]
#
# DIR defaults to /usr/local (for every user of the computer; run as root);
# --prefix ~/.local installs for one user. The bundle goes to
# PREFIX/lib/packetstudio, the command to PREFIX/bin/packetstudio.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
id=org.packetstudio.PacketStudio

prefix=/usr/local
dist="$root/dist"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --dist) dist=$2; shift 2 ;;
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ ! -x "$dist/packetstudio/packetstudio" ]; then
  echo "install.sh: no bundle in $dist/packetstudio; run packaging/build.sh" >&2
  exit 1
fi

rm -rf "$prefix/lib/packetstudio"
mkdir -p "$prefix/lib" "$prefix/bin"
cp -a "$dist/packetstudio" "$prefix/lib/packetstudio"
ln -sfn "$prefix/lib/packetstudio/packetstudio" "$prefix/bin/packetstudio"

share="$prefix/share"
install -Dm644 "$root/packaging/linux/$id.desktop" \
  "$share/applications/$id.desktop"
install -Dm644 "$root/packaging/linux/$id.metainfo.xml" \
  "$share/metainfo/$id.metainfo.xml"
for png in "$root"/resources/icons/packetstudio-*.png; do
  size=$(basename "$png" .png)
  size=${size#packetstudio-}
  install -Dm644 "$png" "$share/icons/hicolor/${size}x${size}/apps/$id.png"
done
install -Dm644 "$root/resources/icons/packetstudio.svg" \
  "$share/icons/hicolor/scalable/apps/$id.svg"

# Menus and icon caches notice the new files sooner; both are optional.
update-desktop-database "$share/applications" 2>/dev/null || true
gtk-update-icon-cache -q "$share/icons/hicolor" 2>/dev/null || true
echo "Installed PacketStudio in $prefix"
