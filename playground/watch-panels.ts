/**
 * The devtools' Objects, Storage and Timeline panels (src/devtools/),
 * embedded beside the editor: the same components the `/__hearth/` page
 * shows, fed by the playground's own devtools link (a coordinator client and
 * the host channel), so they show this origin's objects — the playground's —
 * live, across tabs.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../src/devtools/html.ts';
import { addressOf, labelOf, objectRows } from '../src/devtools/objects-model.ts';
import { ObjectsPanel } from '../src/devtools/objects-panel.ts';
import { StoragePanel } from '../src/devtools/storage-panel.ts';
import { TimelinePanel } from '../src/devtools/timeline-panel.ts';
import { useStore } from '../src/devtools/use-store.ts';
import { useCoordinatorView } from '../src/devtools/use-coordinator-view.ts';

export type WatchTab = 'objects' | 'storage' | 'timeline';

export function WatchPanel(props: {
  tab: WatchTab;
  setTab(tab: WatchTab): void;
  selected: string | undefined;
  select(key: string): void;
}) {
  const store = useStore();
  const { view } = useCoordinatorView();
  // The timeline fits its bars to the width it has: this column, not the window.
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState<number | undefined>();
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const rows = objectRows(view?.live ?? [], view?.registry ?? [], store.lastActivity);
  const row = props.selected ? rows.find((r) => r.key === props.selected) : undefined;
  const open = (key: string, to: string) => {
    props.select(key);
    props.setTab(to as WatchTab);
  };
  return html`<div class="watch" data-watch=${props.tab} ref=${box}>
    ${props.tab === 'objects' && html`<${ObjectsPanel} rows=${rows} selected=${props.selected} select=${props.select} open=${open} />`}
    ${props.tab === 'storage' && html`<${StoragePanel} address=${row ? addressOf(row) : undefined} label=${labelOf(row, props.selected ?? '')} />`}
    ${props.tab === 'timeline' && html`<${TimelinePanel} objectKey=${props.selected} label=${props.selected ? labelOf(row, props.selected) : ''} address=${row ? addressOf(row) : undefined} width=${width} />`}
  </div>`;
}
