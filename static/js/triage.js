/* Operator maps: a report's position, or the reports of the queue, on the deployment's own tiles.
   Data comes from <script type="application/json" id="ops-map-config">; labels are set as text only. */
(function () {
  "use strict";
  var source = document.getElementById("ops-map-config");
  var element = document.getElementById("ops-map");
  if (!source || !element || !window.L) return;
  var config = JSON.parse(source.textContent);
  var map = L.map(element);
  L.tileLayer(config.tiles, { attribution: config.attribution || "", maxZoom: 19 }).addTo(map);
  var layer = (L.markerClusterGroup && config.points.length > 1) ? L.markerClusterGroup() : L.layerGroup();
  var bounds = [];
  config.points.forEach(function (point) {
    var marker = L.marker([point.lat, point.lon]);
    if (point.label || point.url) {
      var box = document.createElement("div");
      if (point.url) {
        var link = document.createElement("a");
        link.href = point.url;
        link.textContent = point.receipt || point.label;
        box.appendChild(link);
      }
      if (point.label) {
        var text = document.createElement("p");
        text.textContent = point.label;
        box.appendChild(text);
      }
      marker.bindPopup(box);
    }
    layer.addLayer(marker);
    bounds.push([point.lat, point.lon]);
  });
  layer.addTo(map);
  if (bounds.length === 1) map.setView(bounds[0], 16);
  else if (bounds.length) map.fitBounds(bounds, { padding: [24, 24] });
  else map.setView([0, 0], 2);
})();
