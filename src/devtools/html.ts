/** `html\`…\``: Preact's `h` through htm, so the devtools need no JSX build step in the app's Vite config. */
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
