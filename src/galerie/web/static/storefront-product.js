// The product page: thumbnails switch the main picture, and the variant picker (radio
// buttons per option axis) shows the chosen variant's price and stock. Without this file
// the thumbnails are links and the variants are a table, so nothing is lost. The picker
// also chooses the add-to-cart form's variant (and disables it for a sold-out one).
(function () {
  "use strict";
  var main = document.getElementById("product-main-image");
  document.querySelectorAll(".product-thumbnails a[data-full]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (!main || !link.dataset.full) return;
      event.preventDefault();
      main.src = link.dataset.full;
      document.querySelectorAll(".product-thumbnails a").forEach(function (other) {
        other.removeAttribute("aria-current");
      });
      link.setAttribute("aria-current", "true");
    });
  });
  var picker = document.getElementById("variant-picker");
  var data = document.getElementById("product-variants");
  if (!picker || !data) return;
  var variants = JSON.parse(data.textContent);
  var price = document.getElementById("product-price");
  var stock = document.getElementById("product-stock");
  var range = price.textContent;
  function update() {
    var chosen = {};
    picker.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      chosen[input.name] = input.value;
    });
    var match = variants.find(function (variant) {
      return Object.keys(chosen).every(function (axis) {
        return variant.options[axis] === chosen[axis];
      });
    });
    var select = document.getElementById("add-to-cart-sku");
    var add = document.querySelector("#add-to-cart button[type=submit]");
    if (add) add.disabled = !match || match.state === "out_of_stock";
    if (match) {
      if (select) select.value = String(match.id);
      price.textContent = match.price;
      stock.textContent = match.availability;
    } else {
      price.textContent = range;
      stock.textContent = picker.dataset.unavailable;
    }
  }
  picker.hidden = false;
  picker.addEventListener("change", update);
  update();
})();
