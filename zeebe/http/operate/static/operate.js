// Dashboard actions through the public /v2 API; every failure is shown, nothing fails silently.
(function () {
  "use strict";

  function show(text) {
    var message = document.getElementById("message");
    if (message) { message.textContent = text; }
  }

  function call(method, path, body) {
    return fetch("/v2" + path, {
      method: method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.ok) { return response; }
      return response.json().then(function (problem) {
        throw new Error(problem.title + ": " + problem.detail);
      });
    });
  }

  // Operate's retry: give the job one retry again, then resolve the incident (spec 2.5).
  function retry(button) {
    var job = button.getAttribute("data-job");
    var incident = button.getAttribute("data-incident");
    var first = job ? call("PATCH", "/jobs/" + job, { changeset: { retries: 1 } }) : Promise.resolve();
    return first.then(function () {
      return call("POST", "/incidents/" + incident + "/resolution");
    });
  }

  function cancel(button) {
    return call("POST", "/process-instances/" + button.getAttribute("data-key") + "/cancellation");
  }

  function wire(selector, action, done) {
    document.querySelectorAll(selector).forEach(function (button) {
      button.addEventListener("click", function () {
        button.disabled = true;
        action(button).then(function () {
          show(done);
          window.location.reload();
        }).catch(function (error) {
          button.disabled = false;
          show(error.message);
        });
      });
    });
  }

  function diagram() {
    var container = document.getElementById("diagram");
    if (!container || typeof window.BpmnJS === "undefined") { return; }
    var viewer = new window.BpmnJS({ container: container });
    var key = container.getAttribute("data-definition-key");
    fetch("/v2/process-definitions/" + key + "/xml").then(function (response) {
      return response.text();
    }).then(function (xml) {
      return viewer.importXML(xml);
    }).then(function () {
      var canvas = viewer.get("canvas");
      canvas.zoom("fit-viewport");
      function mark(attribute, marker) {
        (container.getAttribute(attribute) || "").split(",").filter(Boolean).forEach(function (id) {
          try { canvas.addMarker(id, marker); } catch (ignored) { /* element not drawn */ }
        });
      }
      mark("data-active", "highlight-active");
      mark("data-incidents", "highlight-incident");
    }).catch(function (error) { show("Diagram: " + error.message); });
  }

  wire("button.retry", retry, "Incident resolved.");
  wire("button#cancel", cancel, "Instance cancelled.");
  diagram();
}());
