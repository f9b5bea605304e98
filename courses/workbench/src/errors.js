// A MicroPython traceback explained for a 12-year-old: which file and line, and a short sentence
// from the page's translated templates (strings.errors); the original message stays available.

const RULES = [
  [/^NameError: name '(.+)' isn't defined/, "name", ["name"]],
  [/^AttributeError: type object '(\w+)' has no attribute '(\w+)'/, "attribute", ["type", "name"]],
  [/^AttributeError: '(\w+)' object has no attribute '(\w+)'/, "attribute", ["type", "name"]],
  [/^ImportError: (?:no module named|can't import name) '(.+)'/, "import", ["name"]],
  [/^IndentationError/, "indent", []],
  [/^SyntaxError/, "syntax", []],
  [/^ValueError: pin can only be input: GPIO (\d+)/, "input_only_pin", ["pin"]],
  [/^ValueError: invalid pin: GPIO (\d+) is wired to the flash/, "flash_pin", ["pin"]],
  [/^ValueError: invalid pin: the ESP32 has no GPIO (\d+)/, "no_such_pin", ["pin"]],
  [/^TypeError: .*(?:positional arguments|argument)/, "arguments", []],
  [/^TypeError: unsupported types for (.+)/, "types", []],
  [/^TypeError/, "type", []],
  [/^ZeroDivisionError/, "zero_division", []],
  [/^OSError: (?:\[Errno 19\]|19|ENODEV)/, "i2c_missing", []],
  [/^OSError: (?:\[Errno 116\]|116|ETIMEDOUT)/, "sensor_timeout", []],
  [/^(?:KeyError|IndexError)/, "index", []],
];

export function format(template, params) {
  return template.replace(/\{(\w+)\}/g, (m, key) => (key in params ? String(params[key]) : m));
}

// traceback: MicroPython's text; dir: the run's folder, so frames of the board's own files
// (vboard.py, fake_machine.py) are skipped and the student's last line is the one shown.
export function explainError(traceback, dir, templates) {
  const lines = traceback.trim().split("\n");
  const last = lines[lines.length - 1].trim();
  let file = null;
  let line = null;
  for (const text of lines) {
    const frame = text.match(/File "([^"]+)", line (\d+)/);
    if (frame && frame[1].startsWith(dir + "/")) {
      file = frame[1].slice(dir.length + 1);
      line = Number(frame[2]);
    }
  }
  let code = "other";
  const params = { line: line ?? "?", file: file ?? "main.py", type: last.split(":")[0] };
  for (const [pattern, key, names] of RULES) {
    const match = last.match(pattern);
    if (match) {
      code = key;
      names.forEach((name, i) => (params[name] = match[i + 1]));
      break;
    }
  }
  const where = format(file && file !== "main.py" ? templates.where_file : templates.where, params);
  return { code, file, line, text: `${where}${format(templates[code], params)}`, original: last, traceback };
}
