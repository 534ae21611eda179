import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { renderApp } from '../../../delivery/render';
import { markRenderedFile, OutputFolder, Serializable } from '../../../lib/output';

function renderedFile(scope: Construct, id: string, outputPath: string): void {
  const file = Object.assign(new Construct(scope, id), { outputPath, render: () => `${id}\n` });
  markRenderedFile(file);
}

describe('renderApp', () => {
  test('GIVEN objects and rendered files WHEN rendered THEN files come sorted, holding their objects and renderers, nothing resolved yet', () => {
    const app = new App();
    const chart = new Chart(app, 'svc');
    OutputFolder.mark(chart, { path: 'dist/staging/svc' });
    new kplus.ConfigMap(chart, 'B', { metadata: { name: 'b' } });
    new kplus.ConfigMap(chart, 'A', { metadata: { name: 'a' } });
    const root = new Chart(app, 'root');
    OutputFolder.mark(root, { path: 'dist/argocd', fileName: 'root.yaml' });
    new kplus.ConfigMap(root, 'One', { metadata: { name: 'one' } });
    new kplus.ConfigMap(root, 'Two', { metadata: { name: 'two' } });
    renderedFile(app, 'Workflow', '.forgejo/workflows/x.yaml');
    const files = renderApp(app);
    expect([...files.keys()]).toEqual(['.forgejo/workflows/x.yaml', 'dist/argocd/root.yaml', 'dist/staging/svc/configmap-a.yaml', 'dist/staging/svc/configmap-b.yaml']);
    expect((files.get('.forgejo/workflows/x.yaml') as { render: () => string }).render()).toBe('Workflow\n');
    expect((files.get('dist/argocd/root.yaml') as { objects: Serializable[] }).objects.map(o => (o.toJson() as { metadata: { name: string } }).metadata.name)).toEqual(['one', 'two']);
  });

  test('GIVEN a custom resource WHEN rendered THEN its object carries the defaults the API server would add inside list items', () => {
    const app = new App();
    const chart = new Chart(app, 'svc');
    OutputFolder.mark(chart, { path: 'dist/staging/svc' });
    new ApiObject(chart, 'Route', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' }, spec: { parentRefs: [{ name: 'public' }] } });
    const [object] = (renderApp(app).get('dist/staging/svc/httproute-r.yaml') as { objects: Serializable[] }).objects;
    expect(object.toJson()).toEqual(expect.objectContaining({ spec: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }] } }));
  });

  test.each<[string, (app: App) => void, string]>([
    ['an object outside any output folder', app => new kplus.ConfigMap(new Chart(app, 'loose'), 'C'), "loose/C/Resource: 'scope' is 'loose/C': has no output folder above it; create it inside a chart marked with OutputFolder"],
    ['a path leaving the repository', app => renderedFile(app, 'Escape', '../outside.yaml'), "Escape: 'outputPath' is '../outside.yaml': leaves the repository; use a path relative to the repository root"],
    ['two files on one path', app => { renderedFile(app, 'A', 'x.txt'); renderedFile(app, 'B', 'x.txt'); }, "B: 'outputPath' is 'x.txt': another construct writes this file too; give each its own output path"],
  ])('GIVEN %s WHEN rendered THEN it throws naming the construct or path', (_, build, message) => {
    const app = new App();
    build(app);
    expect(() => renderApp(app)).toThrow(message);
  });
});
