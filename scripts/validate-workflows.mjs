// Checks workflows against the Forgejo runner's own schema: the check that decides whether a runner
// accepts a workflow at all. The schema is GPL-3.0, so it is read from a path given at run time and
// never copied into this repository.
// Usage: npm run validate:workflows -- --forgejo-schema PATH [WORKFLOW.yaml...]
//   (default workflows: dist/ci/*/*.yaml and .forgejo/workflows/*.yaml)
// The schema uses GitHub's template-schema format, loaded with @actions/workflow-parser, which is ESM
// and imports JSON without import attributes: run this under the tsx loader (npm run does).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { JSONObjectReader } from '@actions/workflow-parser/templates/json-object-reader';
import { TemplateSchema } from '@actions/workflow-parser/templates/schema/template-schema';
import { TemplateContext, TemplateValidationErrors } from '@actions/workflow-parser/templates/template-context';
import { readTemplate } from '@actions/workflow-parser/templates/template-reader';
import { YamlObjectReader } from '@actions/workflow-parser/workflows/yaml-object-reader';

// The runner validates with the loose root (act/model/workflow.go).
const RUNNER_ROOT = 'workflow-root';

/**
 * Loads the runner's schema. The npm loader rejects two keywords the runner's Go loader knows
 * (definition-level `required: true` and `string.require-non-empty`), so they are dropped in memory.
 */
function loadSchema(path) {
  const json = JSON.parse(readFileSync(path, 'utf-8'));
  for (const definition of Object.values(json.definitions)) {
    delete definition.required;
    if (definition.string) delete definition.string['require-non-empty'];
  }
  return TemplateSchema.load(new JSONObjectReader(undefined, JSON.stringify(json)));
}

function defaultWorkflows() {
  const files = [];
  const ci = 'dist/ci';
  if (existsSync(ci)) {
    for (const service of readdirSync(ci)) {
      files.push(...readdirSync(join(ci, service)).filter(f => f.endsWith('.yaml')).map(f => join(ci, service, f)));
    }
  }
  const own = '.forgejo/workflows';
  if (existsSync(own)) files.push(...readdirSync(own).filter(f => f.endsWith('.yaml')).map(f => join(own, f)));
  return files;
}

const { values, positionals } = parseArgs({ options: { 'forgejo-schema': { type: 'string' }, 'help': { type: 'boolean', short: 'h' } }, allowPositionals: true });
if (values.help) {
  console.log("usage: npm run validate:workflows -- --forgejo-schema PATH [WORKFLOW.yaml...]\n\nchecks the synthesized workflows against the Forgejo runner's own schema, read where it lies (it is GPL-3.0); changes nothing\n\nexample:\n  npm run validate:workflows -- --forgejo-schema ../shared/schemas/forgejo-runner-workflow_schema.json");
  process.exit(0);
}
const schemaPath = values['forgejo-schema'];
if (!schemaPath || !existsSync(schemaPath)) {
  console.error(`error: '--forgejo-schema' is ${schemaPath ? `'${schemaPath}', which does not exist` : 'missing'}; pass the path of the Forgejo runner's workflow_schema.json (act/schema/workflow_schema.json in the runner's repository)`);
  process.exit(2);
}
const schema = loadSchema(schemaPath);
const files = positionals.length ? positionals : defaultWorkflows();
let failed = files.length === 0;
for (const file of files) {
  const context = new TemplateContext(new TemplateValidationErrors(), schema, new NoOperationTraceWriter());
  const fileId = context.getFileId(file);
  const reader = new YamlObjectReader(fileId, readFileSync(file, 'utf-8'));
  for (const error of reader.errors) context.error(fileId, error.message, error.range);
  if (reader.errors.length === 0) readTemplate(context, RUNNER_ROOT, reader, fileId);
  const errors = context.errors.getErrors();
  for (const error of errors) console.error(`${file}: ${error.message}`);
  failed ||= errors.length > 0;
}
console.log(`${failed ? 'invalid' : 'valid'}: checked ${files.length} workflows against the Forgejo runner schema`);
process.exit(failed ? 1 : 0);
