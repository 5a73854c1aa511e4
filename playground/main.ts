/**
 * Entry of the playground page (thin): builds the editor, the TypeScript
 * worker, the deployer and the embedded devtools, opens the project a link,
 * a lesson or the last visit left, and deploys it. Code typed here runs only
 * inside object workers, through `start({ config, modules })`.
 */
import { render } from 'preact';
import { html } from '../src/devtools/html.ts';
import { installStyles } from '../src/devtools/styles.ts';
import { CoordinatorClient } from '../src/devtools/coordinator-client.ts';
import { DevtoolsContext } from '../src/devtools/devtools-context.ts';
import { EventStore } from '../src/devtools/event-store.ts';
import { listenToHosts } from '../src/devtools/host-channel.ts';
import { ObjectClient } from '../src/devtools/object-client.ts';
import { App } from './app.ts';
import { Editor } from './editor.ts';
import { FileTabs, Problems } from './file-tabs.ts';
import { Playground } from './playground.ts';
import { decodeShare } from './share.ts';
import { PLAYGROUND_STYLES } from './styles.ts';
import { TsClient } from './ts/ts-client.ts';

installStyles();
document.head.append(Object.assign(document.createElement('style'), { textContent: PLAYGROUND_STYLES }));
const $ = (id: string) => document.getElementById(id)!;

const ts = new TsClient();
const playground = new Playground(ts);
const tabs = new FileTabs($('file-tabs'));
const problems = new Problems($('problems'));
const editor = new Editor({
  parent: $('editor'),
  ts,
  onDeploy: () => void playground.deploy(),
  onChange: (project) => {
    playground.edited(project);
    tabs.render(editor);
  },
  onProblems: (file, found) => {
    problems.set(file, found, editor);
    tabs.render(editor);
  },
});
tabs.onSelect = (name) => {
  editor.show(name);
  tabs.render(editor);
  problems.render(editor);
};
playground.attach(editor);

const coordinator = new CoordinatorClient();
const store = new EventStore();
listenToHosts(coordinator.clientId, store);
render(
  html`<${DevtoolsContext.Provider} value=${{ coordinator, objects: new ObjectClient(coordinator), store }}><${App} playground=${playground} /></${DevtoolsContext.Provider}>`,
  $('side'),
);

playground.subscribe(() => {
  $('status').textContent = playground.status;
  $('status').className = `status ${playground.statusKind === 'err' ? 'err' : 'muted'}`;
});
$('deploy').addEventListener('click', () => void playground.deploy());
$('share').addEventListener('click', async () => {
  const url = playground.shareUrl();
  $('share-link').textContent = url;
  await navigator.clipboard?.writeText(url).catch(() => {});
});

// In a build, register the app's edge: it precaches every built file — this page, the editor, the TypeScript
// worker and its .d.ts files — so the playground works offline after one visit. (In dev there is nothing to cache.)
if (import.meta.env.PROD) {
  const { edgeUrl, scope } = await import('virtual:hearth/config');
  await navigator.serviceWorker?.register(edgeUrl, { type: 'module', scope }).catch((error: unknown) => console.warn('[playground] no offline copy:', error));
}

editor.load(playground.initialProject(decodeShare(location.hash)));
// Join the deployment another tab made of exactly this code, so both tabs share its objects.
await playground.deploy({ join: true });
setInterval(() => void playground.refreshAlarms().catch(() => {}), 1000);

/** For tests and the curious: the playground from the console. */
Object.assign(window, { playground: { editor, playground, setFile: (n: string, t: string) => editor.setText(n, t), deploy: () => playground.deploy() } });
document.body.dataset.ready = 'true';
