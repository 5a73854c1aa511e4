/**
 * Entry of the devtools page (`/__hearth/`, served by the Vite plugin). It
 * joins the app's coordinator as a client that hosts nothing, listens to the
 * host tabs, and renders the panels. Never imported by the app itself, so it
 * stays out of the app's bundle.
 */
import { render } from 'preact';
import { html } from './html.ts';
import { App } from './app.ts';
import { CoordinatorClient } from './coordinator-client.ts';
import { DevtoolsContext, type Devtools } from './devtools-context.ts';
import { EventStore } from './event-store.ts';
import { listenToHosts } from './host-channel.ts';
import { ObjectClient } from './object-client.ts';
import { installStyles } from './styles.ts';

installStyles();
const coordinator = new CoordinatorClient();
const store = new EventStore();
const hosts = listenToHosts(coordinator.clientId, store);
const devtools: Devtools = { coordinator, objects: new ObjectClient(coordinator), store, hosts };

render(html`<${DevtoolsContext.Provider} value=${devtools}><${App} /></${DevtoolsContext.Provider}>`, document.getElementById('app')!);
document.body.dataset.ready = 'true';
