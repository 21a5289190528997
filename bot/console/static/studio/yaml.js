// The advanced view: the file's YAML in CodeMirror 6 (bundled in ../vendor/codemirror.js),
// with the draft's problems as diagnostics at their lines.
const cm = await import("../vendor/codemirror.js");

export class YamlView {
  constructor(parent, text, onChange, label) {
    this.view = new cm.EditorView({
      parent,
      state: cm.EditorState.create({
        doc: text,
        extensions: [
          cm.basicSetup,
          cm.yaml(),
          cm.lintGutter(),
          cm.EditorView.lineWrapping,
          cm.EditorView.contentAttributes.of({ "aria-label": label }),
          cm.EditorView.updateListener.of((update) => {
            if (update.docChanged && !this.quiet) onChange();
          }),
        ],
      }),
    });
  }

  text() {
    return this.view.state.doc.toString();
  }

  /** Replace the text (a form edit or a discard), without counting it as an edit here. */
  setText(text) {
    if (text === this.text()) return;
    this.quiet = true;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
    this.quiet = false;
  }

  /** Problems of this file as diagnostics at their line and column. */
  setProblems(problems) {
    const doc = this.view.state.doc;
    const diagnostics = problems.map((p) => {
      const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
      const from = Math.min(line.from + Math.max(p.column - 1, 0), line.to);
      return { from, to: line.to, severity: p.severity, message: p.message };
    });
    this.view.dispatch(cm.setDiagnostics(this.view.state, diagnostics));
  }
}
