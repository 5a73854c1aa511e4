/**
 * How a test page says it has started, for the specs to wait on: once `boot`
 * settles, `body[data-ready]` is `true` or `error` (with the error in
 * `data-error`), and a `#status` element, where the page has one, reads
 * `ready` or the error. Shared by the test apps (test/app, test/edge-app,
 * test/chaos-app, test/differential).
 */
export function reportReady(boot: Promise<void>): void {
  const status = document.querySelector('#status');
  boot.then(
    () => {
      if (status) status.textContent = 'ready';
      document.body.dataset.ready = 'true';
    },
    (error: Error) => {
      if (status) status.textContent = `${error?.name}: ${error?.message}`;
      document.body.dataset.error = `${error?.name}: ${error?.message}`;
      document.body.dataset.ready = 'error';
      console.error(error);
    },
  );
}
