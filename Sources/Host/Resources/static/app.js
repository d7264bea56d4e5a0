// Showmatch: small enhancements only. Every action works without this script.
(function () {
  "use strict";

  function toast(text, isError) {
    var region = document.querySelector(isError ? ".toasts-error" : ".toasts:not(.toasts-error)");
    if (!region) { return; }
    var box = document.createElement("div");
    box.className = "toast" + (isError ? " error" : " ok");
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "×";
    box.appendChild(span);
    box.appendChild(close);
    region.appendChild(box);
    later(box);
  }

  function later(box) {
    setTimeout(function () { box.classList.add("hidden"); }, 8000);
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var close = target.closest(".toast-close");
    if (close) { close.parentElement.classList.add("hidden"); return; }

    var copy = target.closest("[data-copy]");
    if (copy) {
      var field = document.getElementById(copy.getAttribute("data-copy"));
      if (!field) { return; }
      var done = function () { toast("Webhook URL copied to the clipboard.", false); copy.textContent = "Copied"; };
      var fallback = function () {
        field.focus();
        field.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        if (ok) { done(); } else { toast("Copying is blocked here: the URL is selected, press Ctrl+C.", true); }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
      return;
    }

    var confirmer = target.closest("button[data-confirm]");
    if (confirmer && !window.confirm(confirmer.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); return; }
    if (form.hasAttribute("data-busy")) {
      form.setAttribute("aria-busy", "true");
      // Disabled right after the submit, so the clicked button's value is still sent.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
      }, 0);
    }
  });

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) { return; }
    var name = box.getAttribute("data-select-all");
    document.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (other) {
      other.checked = box.checked;
    });
  });

  document.querySelectorAll("[data-toast]").forEach(later);
})();
