// The team picker: a search box filters the classmates' tick boxes by display name and class.
// Ticked classmates always stay in view. Without JavaScript the search box stays hidden and the
// whole list is there.
document.querySelectorAll("[data-team-picker]").forEach((picker) => {
  const box = picker.querySelector(".team-picker-search");
  const input = box.querySelector("input");
  const count = box.querySelector(".team-picker-count");
  const options = [...picker.querySelectorAll("input[type=checkbox][data-search]")];
  const row = (checkbox) => checkbox.closest("label")?.parentElement || checkbox.parentElement;
  const filter = () => {
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    options.forEach((checkbox) => {
      const text = checkbox.dataset.search;
      const match = checkbox.checked || words.every((word) => text.includes(word));
      row(checkbox).hidden = !match;
      if (match) shown += 1;
    });
    count.textContent = words.length === 0 ? "" : shown === 0 ? count.dataset.none
      : count.dataset.some.replace("{shown}", shown).replace("{total}", options.length);
  };
  input.addEventListener("input", filter);
  // Enter in the search box must not submit the entry form.
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
  box.hidden = false;
});
