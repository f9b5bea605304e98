// The code editor: CodeMirror 6 with Python highlighting, line numbers, indentation and undo;
// one tab per file (main.py first, then lib/ files), each with its own undo history.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from "@codemirror/view";

export class Editor {
  constructor(host, tabsHost, files, onChange, label) {
    this.onChange = onChange;
    this.tabsHost = tabsHost;
    this.extensions = [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      indentUnit.of("    "),
      bracketMatching(),
      highlightActiveLine(),
      syntaxHighlighting(defaultHighlightStyle),
      python(),
      keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap]),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ "aria-label": label }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) this.onChange(this.files());
      }),
    ];
    this.view = new EditorView({ parent: host });
    this.load(files);
  }

  load(files) {
    const paths = Object.keys(files).sort((a, b) => (a !== "main.py") - (b !== "main.py") || a.localeCompare(b));
    this.states = Object.fromEntries(paths.map((p) => [p, EditorState.create({ doc: files[p], extensions: this.extensions })]));
    this.current = paths[0];
    this.view.setState(this.states[this.current]);
    this.tabsHost.replaceChildren(
      ...paths.map((path) => {
        const tab = document.createElement("button");
        tab.type = "button";
        tab.className = "wb-tab";
        tab.role = "tab";
        tab.textContent = path;
        tab.dataset.path = path;
        tab.addEventListener("click", () => this.show(path));
        return tab;
      }),
    );
    this.tabsHost.hidden = paths.length < 2;
    this.markTabs();
  }

  show(path) {
    this.states[this.current] = this.view.state;
    this.current = path;
    this.view.setState(this.states[path]);
    this.markTabs();
  }

  markTabs() {
    for (const tab of this.tabsHost.children) tab.setAttribute("aria-selected", String(tab.dataset.path === this.current));
  }

  files() {
    this.states[this.current] = this.view.state;
    return Object.fromEntries(Object.entries(this.states).map(([p, s]) => [p, s.doc.toString()]));
  }

  // Put the cursor on a line of a file (where an error is), scrolled into view.
  goTo(path, line) {
    if (path && path in this.states && path !== this.current) this.show(path);
    const doc = this.view.state.doc;
    if (!line || line > doc.lines) return;
    const at = doc.line(line);
    this.view.dispatch({ selection: { anchor: at.from, head: at.to }, scrollIntoView: true });
  }
}
