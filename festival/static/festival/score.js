// Show each slider's value; a criterion not touched yet is sent empty, so the save keeps it open.
document.querySelectorAll(".score-screen input[type=range]").forEach((slider) => {
  const output = document.getElementById(slider.dataset.output);
  const mark = () => { delete slider.dataset.unset; output.textContent = slider.value; };
  slider.addEventListener("input", mark);
  slider.form.addEventListener("submit", () => { if (slider.dataset.unset) slider.disabled = true; });
});
