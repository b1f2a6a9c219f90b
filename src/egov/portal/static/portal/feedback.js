// The feedback form's three conveniences; the form works without them.
// 1. "Dùng vị trí của tôi" fills latitude and longitude from the phone's location.
// 2. Only the chosen category's extra questions are shown (all are shown without script).
// 3. A second click on "Gửi" while the form is being sent is ignored (the server also
//    recognises a resend by the form's hidden key and returns the first item).
(function () {
  "use strict";
  var locate = document.getElementById("fb-locate");
  var status = document.getElementById("fb-locate-status");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      status.textContent = locate.dataset.waiting || "…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
          document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
          status.textContent = locate.dataset.done || "";
        },
        function () {
          status.textContent = locate.dataset.failed || "";
        },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }
  var category = document.getElementById("id_category");
  var groups = document.querySelectorAll("fieldset.fb-attributes");
  function showChosen() {
    groups.forEach(function (group) {
      var chosen = group.dataset.category === category.value;
      group.hidden = !chosen;
      group.disabled = !chosen;
    });
  }
  if (category && groups.length) {
    category.addEventListener("change", showChosen);
    showChosen();
  }
  var form = document.querySelector("form.fb-form");
  var send = form && form.querySelector("button[type=submit]");
  if (send) {
    var label = send.textContent;
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      send.setAttribute("aria-disabled", "true");
      send.textContent = send.dataset.sending || label;
    });
    // Back from the next page (back-forward cache): the form may be sent again.
    window.addEventListener("pageshow", function () {
      delete form.dataset.sending;
      send.removeAttribute("aria-disabled");
      send.textContent = label;
    });
  }
})();
