#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry (needs npm; the app itself never does).
# Only built browser files are copied; versions are pinned here and recorded in VERSIONS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

WORKBOX_VERSION=7.4.1
IDB_VERSION=8.0.4
LEAFLET_VERSION=1.9.4
MARKERCLUSTER_VERSION=1.5.3

fetch() {  # fetch PACKAGE VERSION -> unpacked into $work/PACKAGE
    (cd "$work" && npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf "$1-$2.tgz" -C "$1" --strip-components=1)
}

rm -rf "$here/workbox" "$here/idb" "$here/leaflet" "$here/leaflet.markercluster"
mkdir -p "$here/workbox" "$here/idb" "$here/leaflet/images" "$here/leaflet.markercluster"
for package in workbox-sw workbox-core workbox-precaching workbox-routing workbox-strategies; do
    fetch "$package" "$WORKBOX_VERSION"
    # workbox-sw is the loader; the others are the production builds it loads (setConfig debug: false).
    if [ "$package" = workbox-sw ]; then
        cp "$work/$package/build/workbox-sw.js" "$here/workbox/"
    else
        cp "$work/$package/build/$package.prod.js" "$here/workbox/"
    fi
    cp "$work/$package/LICENSE" "$here/workbox/LICENSE" 2>/dev/null || true
done
fetch idb "$IDB_VERSION"
cp "$work/idb/build/umd.js" "$here/idb/idb.umd.js"
cp "$work/idb/LICENSE" "$here/idb/LICENSE"
# Leaflet: only for the report form's map pin, and only where the deployment serves its own tiles.
fetch leaflet "$LEAFLET_VERSION"
cp "$work/leaflet/dist/leaflet.js" "$work/leaflet/dist/leaflet.css" "$here/leaflet/"
cp "$work/leaflet/dist/images/"*.png "$here/leaflet/images/"
cp "$work/leaflet/LICENSE" "$here/leaflet/LICENSE"
# Marker clusters for the operators' map of many reports.
fetch leaflet.markercluster "$MARKERCLUSTER_VERSION"
cp "$work/leaflet.markercluster/dist/leaflet.markercluster.js" "$work/leaflet.markercluster/dist/MarkerCluster.css" \
    "$work/leaflet.markercluster/dist/MarkerCluster.Default.css" "$here/leaflet.markercluster/"
cp "$work/leaflet.markercluster/MIT-LICENCE.txt" "$here/leaflet.markercluster/LICENSE"

cat > "$here/VERSIONS" <<VERSIONS
# Vendored front-end libraries (refresh with static/vendor/refresh.sh)
workbox $WORKBOX_VERSION  (workbox-sw, -core, -precaching, -routing, -strategies; MIT)
idb $IDB_VERSION  (IndexedDB with promises; ISC)
leaflet $LEAFLET_VERSION  (map for the report pin, own tiles only; BSD-2-Clause)
leaflet.markercluster $MARKERCLUSTER_VERSION  (clusters on the operators' map; MIT)
VERSIONS
echo "Vendored workbox $WORKBOX_VERSION, idb $IDB_VERSION and leaflet $LEAFLET_VERSION into $here"
