/* Duplicate hints on the registration form.
 *
 * As the user types names, DNI, sex, e-mail or phone, the form POSTs them (never in the URL)
 * to the matches endpoint - the registry's linkage engine - and lists the possible existing
 * registrations the user may see with the engine's probability, or a plain hint when the
 * person may be registered by another school. After a submit that the registry stopped with
 * the "ya registrada" warning, the warning is brought into view. No libraries, no network
 * beyond the registry itself. Text is inserted with textContent, never as HTML.
 */
(function () {
  "use strict";
  var form = document.getElementById("registration-form");
  if (!form || !window.fetch) { return; }
  var box = document.getElementById("matches");
  var list = document.getElementById("matches-list");
  var elsewhere = document.getElementById("matches-elsewhere");
  var limit = document.getElementById("matches-limit");
  var fields = {
    given: "id_given_names", paternal: "id_paternal_surname", maternal: "id_maternal_surname",
    dni: "id_dni", sex: "id_sex", email: "id_email", phone: "id_phone"
  };
  var timer = null;
  var latest = 0;

  function value(name) {
    var input = document.getElementById(fields[name]);
    return input ? input.value.trim() : "";
  }

  function render(data) {
    list.textContent = "";
    (data.matches || []).forEach(function (match) {
      var item = document.createElement("li");
      var code = document.createElement("strong");
      code.textContent = match.code;
      item.appendChild(code);
      var text = " " + match.name;
      if (match.probability) { text += " — probabilidad " + match.probability; }
      if (match.reasons && match.reasons.length) { text += " — " + match.reasons.join(", "); }
      item.appendChild(document.createTextNode(text));
      list.appendChild(item);
    });
    elsewhere.hidden = !data.registered_elsewhere;
    // Past the hourly budget of hints the registry says so (HTTP 429) rather than go quiet.
    limit.textContent = data.limit || "";
    limit.hidden = !data.limit;
    box.hidden = !(data.matches && data.matches.length) && !data.registered_elsewhere && !data.limit;
  }

  function query() {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("cohort", form.getAttribute("data-cohort"));
    Object.keys(fields).forEach(function (name) { body.append(name, value(name)); });
    var ticket = ++latest;
    fetch(form.getAttribute("data-matches-url"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) { return response.json(); }
        if (response.status === 429) {
          return response.json().then(function (data) { return { matches: [], limit: data.error }; });
        }
        return { matches: [] };
      })
      .then(function (data) { if (ticket === latest) { render(data); } })
      .catch(function () { /* the hint is a help, never a blocker */ });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(query, 350);
  }

  Object.keys(fields).forEach(function (name) {
    var input = document.getElementById(fields[name]);
    if (input) {
      input.addEventListener("input", schedule);
      input.addEventListener("change", schedule);
    }
  });
  var warning = document.getElementById("duplicate-warning");
  if (warning) {
    warning.scrollIntoView({ block: "start" });
    warning.focus({ preventScroll: true });
  }
  if (value("dni") || value("paternal")) { schedule(); }
})();
