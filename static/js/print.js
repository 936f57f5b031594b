// Buttons marked data-print open the browser's print dialog (CSP forbids inline handlers).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
