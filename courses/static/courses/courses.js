// Copy buttons on code blocks: copy the source without the line numbers.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-code]");
  if (!button) return;
  const block = button.closest("[data-code-block]");
  const code = block.querySelector("td.code pre, pre");
  const text = code.innerText.replace(/\n$/, "");
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  const label = button.textContent;
  button.textContent = button.dataset.copiedLabel;
  setTimeout(() => { button.textContent = label; }, 1500);
});
