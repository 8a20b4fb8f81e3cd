// Starts Swagger UI on the API docs page (kept out of the HTML: the CSP allows no inline script).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: element.dataset.specUrl,
    domNode: element,
    deepLinking: false, // deep links put a link inside each operation's button (nested controls)
    tryItOutEnabled: false
  });
})();
