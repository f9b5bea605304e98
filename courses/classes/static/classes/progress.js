// Lesson progress for a logged-in student: tick steps, complete the lesson and answer questions
// without reloading. Without JavaScript the checklist form posts the same data.
(() => {
  const panel = document.querySelector("[data-lesson-progress]");
  if (!panel) return;
  const form = panel.querySelector("form");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = panel.querySelector("[data-progress-status]");
  const label = (name) => panel.dataset[name];

  async function post(url, data) {
    const body = new FormData();
    Object.entries(data).forEach(([key, value]) => body.append(key, value));
    const response = await fetch(url, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
    });
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }

  function show(message) { status.textContent = message; }

  function setStep(stepId, done) {
    const box = form.querySelector(`[data-step-checkbox="${stepId}"]`);
    if (box) box.checked = done;
    const button = document.querySelector(`[data-step-toggle="${stepId}"]`);
    if (button) {
      button.setAttribute("aria-pressed", String(done));
      button.textContent = done ? `✓ ${label("labelDone")}` : label("labelMark");
      button.closest(".step-block").classList.toggle("is-done", done);
    }
  }

  // "Saved" only once every tick sent has been stored: a quick second tick keeps "Saving…".
  let pending = 0;
  let failed = false;

  async function toggle(stepId, done) {
    setStep(stepId, done);
    pending += 1;
    show(label("labelSaving"));
    try {
      await post(panel.dataset.stepUrl, { step: stepId, done: done ? "1" : "0" });
    } catch {
      setStep(stepId, !done);
      failed = true;
    }
    pending -= 1;
    if (pending === 0) {
      show(label(failed ? "labelError" : "labelSaved"));
      failed = false;
    }
  }

  const done = new Set(JSON.parse(panel.dataset.done || "[]"));
  document.querySelectorAll('.step-block[data-block-type="step"]').forEach((block) => {
    const stepId = block.dataset.stepId;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "step-toggle";
    button.dataset.stepToggle = stepId;
    button.addEventListener("click", () => toggle(stepId, button.getAttribute("aria-pressed") !== "true"));
    block.append(button);
    setStep(stepId, done.has(stepId));
  });
  form.querySelectorAll("[data-step-checkbox]").forEach((box) => {
    box.addEventListener("change", () => toggle(box.value, box.checked));
  });
  const save = form.querySelector("[data-save-steps]");
  if (save) save.hidden = true;

  form.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-complete]");
    if (!button) return;
    event.preventDefault();
    const complete = button.dataset.complete === "1";
    const unticked = form.querySelectorAll("[data-step-checkbox]:not(:checked)").length;
    if (complete && unticked && !window.confirm(label("labelConfirmIncomplete").replace("{n}", unticked))) return;
    try {
      await post(panel.dataset.completeUrl, { done: complete ? "1" : "0" });
      // The panel's markup for the other state comes from the server; a reload keeps one source of truth.
      window.location.hash = "lesson-progress";
      window.location.reload();
    } catch {
      show(label("labelError"));
    }
  });

  // "Check your understanding": the first answer is recorded for the teacher. The page holds no
  // answer: the server sends the correct choices and the explanation once the student has answered.
  function showAnswer(block, result) {
    const buttons = block.querySelectorAll(".choice-button");
    result.correct_choices.forEach((n) => buttons[n] && buttons[n].classList.add("is-correct"));
    const feedback = block.querySelector("[data-question-feedback]");
    if (!feedback) return;
    const note = document.createElement("p");
    note.className = "answer-note";
    note.textContent = result.correct ? label("labelRight") : label("labelWrong");
    const explanation = document.createElement("div");
    explanation.className = "answer-explanation";
    explanation.innerHTML = result.explanation; // our own lesson's rich text, from our server
    feedback.replaceChildren(note, explanation);
    feedback.hidden = false;
  }

  document.querySelectorAll('.step-block[data-block-type="question"]').forEach((block) => {
    const questionId = block.dataset.stepId;
    block.querySelectorAll(".question-choices > li").forEach((item, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "choice-button";
      button.textContent = item.textContent;
      button.addEventListener("click", async () => {
        try {
          const result = await post(panel.dataset.answerUrl, { question: questionId, choice: index });
          button.classList.add(result.correct ? "is-right" : "is-wrong");
          showAnswer(block, result);
        } catch {
          show(label("labelError"));
        }
      });
      item.replaceChildren(button);
    });
  });

  // After a reload the questions already answered show that first answer and the explanation again
  // (the server put them in "My answers").
  panel.querySelectorAll("[data-answered-question]").forEach((answer) => {
    const block = document.querySelector(`.step-block[data-step-id="${answer.dataset.answeredQuestion}"]`);
    if (!block) return;
    const right = answer.dataset.firstCorrect === "1";
    const chosen = block.querySelectorAll(".choice-button")[Number(answer.dataset.choice)];
    if (chosen) chosen.classList.add(right ? "is-right" : "is-wrong");
    const explanation = answer.querySelector(".answer-explanation");
    showAnswer(block, {
      correct: right,
      correct_choices: (answer.dataset.correctChoices || "").split(",").filter(Boolean).map(Number),
      explanation: explanation ? explanation.innerHTML : "",
    });
  });
})();
