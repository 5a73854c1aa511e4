/**
 * Entry for the coordinator SharedWorker: each connecting page's port goes to
 * the coordinator service (src/coordinator/coordinator-service.ts), the same
 * code a leader tab runs where there is no SharedWorker.
 */
import { startCoordinatorService } from '../src/coordinator/coordinator-service.ts';

interface SharedWorkerScope {
  onconnect: ((event: MessageEvent) => void) | null;
  location: Location;
}
const scope = globalThis as unknown as SharedWorkerScope;

const service = startCoordinatorService(scope.location.origin);
scope.onconnect = (event) => service.accept(event.ports[0]!);
