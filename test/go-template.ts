/**
 * The subset of Go's text/template the verdict templates use, with Go's semantics, so a test renders
 * a synthesized template as the notifications engine would (notifications-engine v0.5.0
 * pkg/templates/service.go parses templates with text/template): `{{.a.b}}` prints a field of the dot
 * (`<no value>` for a missing map key, as for Go's map[string]interface{}), and
 * `{{range .a}}…{{end}}` runs its body with each element of a list as the dot (nothing for a missing
 * or empty one). Any other action is refused, so a template that outgrows this subset fails its test.
 */
export function renderGoTemplate(template: string, data: unknown): string {
  const tokens = template.split(/(\{\{.*?\}\})/s).filter(t => t !== '');
  let position = 0;
  const render = (dot: unknown, until: boolean): string => {
    let out = '';
    while (position < tokens.length) {
      const token = tokens[position++];
      if (!token.startsWith('{{')) {
        out += token;
        continue;
      }
      const action = token.slice(2, -2).trim();
      if (action === 'end') {
        if (!until) throw new Error('unexpected {{end}}');
        return out;
      }
      const range = /^range (\.[\w.]*)$/.exec(action);
      if (range) {
        const list = field(dot, range[1]);
        const start = position;
        const items = Array.isArray(list) ? list : [];
        if (items.length === 0) render(undefined, true);
        for (const item of items) {
          position = start;
          out += render(item, true);
        }
        continue;
      }
      if (!/^\.[\w.]*$/.test(action)) throw new Error(`unsupported action {{${action}}}`);
      const value = field(dot, action);
      out += value === undefined || value === null ? '<no value>' : String(value);
    }
    if (until) throw new Error('missing {{end}}');
    return out;
  };
  return render(data, false);
}

function field(dot: unknown, path: string): unknown {
  let value = dot;
  for (const name of path.split('.').filter(Boolean)) value = value === undefined || value === null ? undefined : (value as Record<string, unknown>)[name];
  return value;
}
